#!/usr/bin/python3
# Makes the model-zoo fixtures of OnnxZooTest with Debian's python3-torch 1.13 / python3-torchvision 0.14 and
# python3-onnx. Run with Debian's interpreter (not a pyenv one), from anywhere:
#     nice -n 15 /usr/bin/python3 kernel-lib/src/test/resources/onnx/make_zoo.py [MODEL ...] [--models A,B] [--weights DIR]
# (with model names: only those are made again, the other rows of zoo.csv kept; runs for different models may go in
# parallel. --weights DIR: a model whose DIR/MODEL.pt exists is loaded from it instead of trained, else trained and
# saved there, so the exports can be made again without training again). It prints per model its test accuracy, the
# median top-1 margin of the TEST_IMAGES logits and an estimate of how many top-1s OnnxZooTest's mul8u_exact check
# keeps (see estimate_8bit; the test's count is the one that counts). It needs Fashion-MNIST under
# /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist); the outputs are committed, so the test does not.
# Small-width versions of torchvision families (1x28x28 input, 10 classes) are trained to convergence as a user's
# model would be (EPOCHS passes over all TRAIN_IMAGES training images, see train; a briefly trained net has near-tie
# logits on many images, whose top-1 any rounding flips: an unfair test of the 8-bit emulation), then exported in eval
# mode at opsets 13 and 17, each with a dynamic batch axis ("dyn") and with the batch fixed at 1 as torch.onnx.export
# does without dynamic_axes ("b1"). The four exports of a model share its weights and its reference output. Under zoo/:
#   inputs.u8              the first TEST_IMAGES Fashion-MNIST test images, uint8 [N, 1, 28, 28]; the models'
#                          input is pixel / 255 as float32
#   MODEL_opOPSET_dyn.onnx, MODEL_opOPSET_b1.onnx   the exports
#   MODEL.output.bin       float32 little-endian logits [N, 10], computed by PyTorch in eval mode
#   zoo.csv                per export: model, opset, batch (dyn | 1), the approximable layers' MACs per image in
#                          execution order (Conv2d and Linear modules, counted by forward hooks; a Linear's
#                          MACs are per row times its rows), the ONNX op types used
import argparse
import copy
import csv
import fcntl
import gzip
import os
import time
from functools import partial

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import convnext, densenet, efficientnet, mobilenetv2, mobilenetv3, resnet, shufflenetv2
from torchvision.models import squeezenet, vgg

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "zoo")
FMNIST = "/usr/share/datasets/fashion-mnist"
TRAIN_IMAGES = 60000  # all of Fashion-MNIST's training split
EPOCHS = 3  # passes over it: the one-cycle schedule converges in them at these widths (DenseNet: 0.892 test accuracy),
# except for the models below, given more (EfficientNet-B0 0.886 at 3, 0.892 at 5; SqueezeNet and the operator model,
# without BatchNorm, 0.896 at 4 and 0.874 at 6, other pass counts not measured for their present layouts)
MODEL_EPOCHS = {"squeezenet": 4, "efficientnet_b0": 5, "extra_ops": 6}
BATCH = 128
LR = 3e-3  # the one-cycle schedule's peak
WEIGHT_DECAY = 1e-2  # AdamW's default
TEST_IMAGES = 500
OPSETS = (13, 17)


def idx(name):
    with gzip.open(os.path.join(FMNIST, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def gray_stem(model):
    """Replaces the first Conv2d (3 input channels in torchvision) by one with a single input channel."""
    for parent in model.modules():
        for name, child in parent.named_children():
            if isinstance(child, nn.Conv2d):
                setattr(parent, name, nn.Conv2d(1, child.out_channels, child.kernel_size, child.stride, child.padding,
                                                child.dilation, child.groups, child.bias is not None))
                return model
    raise ValueError("no Conv2d")


class ResNet18(nn.Module):
    """torchvision's ResNet-18 (BasicBlock x [2, 2, 2, 2], projection shortcuts) at widths 4..32, 3x3 stem."""

    def __init__(self, width=4, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True))
        layers, inplanes = [], width
        for i, planes in enumerate([width, 2 * width, 4 * width, 8 * width]):
            stride = 1 if i == 0 else 2
            down = None
            if stride != 1 or inplanes != planes:
                down = nn.Sequential(resnet.conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes))
            layers += [resnet.BasicBlock(inplanes, planes, stride, down), resnet.BasicBlock(planes, planes)]
            inplanes = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(inplanes, classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.layers(self.stem(x)), 1)
        return self.fc(x.view(x.size(0), -1))  # the export habit of issue 17: a constant Reshape at fixed batch


def mobilenet_v2():
    setting = [[1, 8, 1, 1], [6, 8, 2, 2], [6, 16, 2, 2], [6, 24, 2, 1], [6, 32, 1, 2]]
    m = mobilenetv2.MobileNetV2(num_classes=10, width_mult=1.0, inverted_residual_setting=setting)
    m.features[-1] = torchvision.ops.Conv2dNormActivation(32, 64, kernel_size=1, activation_layer=nn.ReLU6)
    m.classifier[1] = nn.Linear(64, 10)
    return gray_stem(m)


def mobilenet_v3_small():
    c = partial(mobilenetv3.InvertedResidualConfig, width_mult=0.25)
    setting = [c(16, 3, 16, 16, True, "RE", 2, 1), c(16, 3, 72, 24, False, "RE", 2, 1), c(24, 3, 88, 24, False, "RE", 1, 1),
               c(24, 5, 96, 40, True, "HS", 2, 1), c(40, 5, 240, 40, True, "HS", 1, 1), c(40, 5, 120, 48, True, "HS", 1, 1),
               c(48, 5, 288, 96, True, "HS", 2, 1), c(96, 5, 576, 96, True, "HS", 1, 1)]
    return gray_stem(mobilenetv3.MobileNetV3(setting, last_channel=64, num_classes=10))


def shufflenet_v2():
    return gray_stem(shufflenetv2.ShuffleNetV2([2, 3, 2], [8, 16, 32, 64, 128], num_classes=10))


class SqueezeNet(nn.Module):
    """SqueezeNet 1.1's layout (Fire modules, ceil-mode MaxPool, conv classifier) at a quarter of its width, without
    the classifier's final ReLU (at this width it kills logits: a class whose every channel is dead cannot win), and
    with a stride-1 stem for 28x28 inputs (as ResNet18 above: with ImageNet's stride-2 stem the last four Fire modules
    see 1x1 maps: 0.86 test accuracy after 10 passes, median top-1 margin 0.20; with stride 1 they see 3x3)."""

    def __init__(self, classes=10):
        super().__init__()
        fire = squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True),
            fire(16, 4, 16, 16), fire(32, 4, 16, 16), nn.MaxPool2d(3, 2, ceil_mode=True),
            fire(32, 8, 32, 32), fire(64, 8, 32, 32), nn.MaxPool2d(3, 2, ceil_mode=True),
            fire(64, 12, 48, 48), fire(96, 12, 48, 48), fire(96, 16, 64, 64), fire(128, 16, 64, 64))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(128, classes, 1), nn.AdaptiveAvgPool2d((1, 1)))
        for m in self.modules():  # torchvision's initialisation
            if isinstance(m, nn.Conv2d):
                if m is self.classifier[1]:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


def densenet_small():
    """torchvision's DenseNet (BN-ReLU-Conv bottleneck layers, Concat, transitions) with 2, 3, 2 layers per block at
    growth rate 12 (DenseNet-BC's smallest; at 6 with 8 initial features it reached 0.89 test accuracy after 10 passes
    and lost 6 top-1s of 500 to 8-bit rounding)."""
    return gray_stem(densenet.DenseNet(growth_rate=12, block_config=(2, 3, 2), num_init_features=16, bn_size=4, num_classes=10))


def efficientnet_b0():
    conf = partial(efficientnet.MBConvConfig, width_mult=0.25, depth_mult=0.5)
    # B0's first five stages (the last two would only add weights at 28x28)
    setting = [conf(1, 3, 1, 32, 16, 1), conf(6, 3, 2, 16, 24, 2), conf(6, 5, 2, 24, 40, 2), conf(6, 3, 2, 40, 80, 3),
               conf(6, 5, 1, 80, 112, 3)]
    return gray_stem(efficientnet.EfficientNet(setting, dropout=0.2, stochastic_depth_prob=0.2, num_classes=10, last_channel=64))


class Vgg11Bn(nn.Module):
    """VGG-11 with BatchNorm (torchvision's make_layers), an eighth of its width, four pools for 28x28."""

    def __init__(self, classes=10):
        super().__init__()
        feats = vgg.make_layers([8, "M", 16, "M", 24, 24, "M", 32, 32, "M", 32, 32], batch_norm=True)
        feats[0] = nn.Conv2d(1, 8, 3, padding=1)
        self.features = feats
        self.classifier = nn.Sequential(nn.Linear(32, 64), nn.ReLU(True), nn.Dropout(), nn.Linear(64, 64), nn.ReLU(True),
                                        nn.Dropout(), nn.Linear(64, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def convnext_small():
    setting = [convnext.CNBlockConfig(16, 32, 1), convnext.CNBlockConfig(32, 64, 2), convnext.CNBlockConfig(64, None, 1)]
    m = convnext.ConvNeXt(setting, stochastic_depth_prob=0.1, layer_scale=0.5, num_classes=10)
    m.features[0][0] = nn.Conv2d(1, 16, kernel_size=4, stride=4)
    return m


class ExtraOps(nn.Module):
    """Operators that no family above exports: Split (uneven torch.split), Max, Min, Neg, Exp, Expand. Three stride-2
    convolutions (28 -> 14 -> 7 -> 4), so that the global mean pools features that see 15x15 pixels (with a stride-1
    first convolution and 32, 64 channels after it they saw 9x9, a bag of local patches: 0.81 test accuracy after 3
    passes, median top-1 margin 0.10 of the largest logit)."""

    def __init__(self, classes=10):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(16, 48, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(48, 96, 3, stride=2, padding=1)
        self.shift = nn.Parameter(torch.zeros(1, 96, 1, 1))
        self.fc = nn.Linear(96, classes)

    def forward(self, x):
        a, b = torch.split(self.c1(x), [6, 10], dim=1)
        y = torch.cat([torch.maximum(a, -a), torch.minimum(b, torch.exp(-b * b))], 1)
        y = self.c3(F.relu(self.c2(y)))
        y = y + self.shift.expand(y.size(0), -1, y.size(2), y.size(3))
        return self.fc(F.relu(y).mean((2, 3)))


MODELS = {
    "resnet18": ResNet18,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v3_small": mobilenet_v3_small,
    "shufflenet_v2": shufflenet_v2,
    "squeezenet": SqueezeNet,
    "densenet": densenet_small,
    "efficientnet_b0": efficientnet_b0,
    "vgg11_bn": Vgg11Bn,
    "convnext": convnext_small,
    "extra_ops": ExtraOps,
}


def train(model, images, labels, epochs):
    """Trains to convergence as a user would before quantizing: AdamW with a one-cycle learning rate (warm-up, then
    cosine annealing to ~0) over `epochs` shuffled passes of all images, batches of BATCH, channels-last (faster on
    the CPU), one thread, seeded; then recomputes BatchNorm statistics of the final weights."""
    model.to(memory_format=torch.channels_last).train()
    x_all = torch.from_numpy(images.copy()).float().div(255).unsqueeze(1)
    y_all = torch.from_numpy(labels.astype(np.int64))
    steps = (len(x_all) + BATCH - 1) // BATCH
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, epochs=epochs, steps_per_epoch=steps)
    order = torch.Generator().manual_seed(17)
    for _ in range(epochs):
        perm = torch.randperm(len(x_all), generator=order)
        for s in range(steps):
            i = perm[s * BATCH:(s + 1) * BATCH]
            opt.zero_grad()
            F.cross_entropy(model(x_all[i].contiguous(memory_format=torch.channels_last)), y_all[i]).backward()
            opt.step()
            sched.step()
    # BatchNorm statistics of the final weights (MobileNetV3's momentum 0.01 lags behind the training otherwise)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.reset_running_stats()
                m.momentum = None
        for i in range(0, 2000, 50):
            model(x_all[i:i + 50])
    model.to(memory_format=torch.contiguous_format).eval()


def layer_macs(model, x):
    """MACs per image of each Conv2d and Linear module, in execution order."""
    macs = []

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            macs.append(out[0].numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1])
        else:
            macs.append(out[0].numel() * m.in_features)

    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(x[:1])
    for h in hooks:
        h.remove()
    return macs


def fake_quant(x, lo, hi):
    """AxDSE's unsigned-affine 8-bit quantization (TensorFlow's nudging, ARCHITECTURE.md section 3), dequantized."""
    lo, hi = np.float32(lo), np.float32(hi)
    if lo == hi:
        if lo == 0:
            return x
        lo, hi = min(lo, np.float32(0)), max(hi, np.float32(0))
    scale = np.float32((hi - lo) / np.float32(255))
    z = -lo / scale
    zp = 0 if z <= 0 else 255 if z >= 255 else int(np.floor(z + 0.5))
    return (torch.clamp(torch.floor(x / float(scale) + zp + 0.5), 0, 255) - zp) * float(scale)


def estimate_8bit(model, x, logits):
    """How many of the images keep their top-1 when every Conv2d and Linear quantizes its input (range calibrated on
    x) and its weights (per tensor) as OnnxZooTest does under mul8u_exact, with each Conv2d+BatchNorm pair folded as
    the export folds it (by torch.fx; where a model does not trace, unfolded, and the estimate is rougher). An
    estimate for choosing architectures and training; the test's count is the authority."""
    m = copy.deepcopy(model).eval()
    try:
        from torch.fx.experimental.optimization import fuse
        m = fuse(m)
    except Exception:  # noqa: BLE001 - an untraceable model is estimated unfolded
        pass
    layers = [mod for mod in m.modules() if isinstance(mod, (nn.Conv2d, nn.Linear))]
    ranges = {}

    def calibrate(mod, inp):
        lo, hi = ranges.get(mod, (np.inf, -np.inf))
        ranges[mod] = (min(lo, inp[0].min().item()), max(hi, inp[0].max().item()))

    hooks = [mod.register_forward_pre_hook(calibrate) for mod in layers]
    with torch.no_grad():
        m(x)
        for h in hooks:
            h.remove()
        for mod in layers:
            mod.weight.copy_(fake_quant(mod.weight, mod.weight.min().item(), mod.weight.max().item()))
            mod.register_forward_pre_hook(lambda mod, inp: (fake_quant(inp[0], *ranges[mod]),))
        return (m(x).argmax(1) == logits.argmax(1)).sum().item()


def main():
    ap = argparse.ArgumentParser(description="Trains and exports the OnnxZooTest fixtures.")
    ap.add_argument("model", nargs="*", help="models to make again (default: all): " + " ".join(MODELS))
    ap.add_argument("--models", default="", help="the same, comma-separated")
    ap.add_argument("--weights", metavar="DIR",
                    help="load DIR/MODEL.pt instead of training where it exists; save there after training")
    args = ap.parse_args()
    only = args.model + [m for m in args.models.split(",") if m]
    unknown = [m for m in only if m not in MODELS]
    if unknown:
        ap.error("unknown model(s) %s; known: %s" % (" ".join(unknown), " ".join(MODELS)))
    os.makedirs(OUT, exist_ok=True)
    train_x, train_y = idx("train-images-idx3-ubyte.gz")[:TRAIN_IMAGES], idx("train-labels-idx1-ubyte.gz")[:TRAIN_IMAGES]
    test_u8 = np.ascontiguousarray(idx("t10k-images-idx3-ubyte.gz")[:TEST_IMAGES])
    test_y = idx("t10k-labels-idx1-ubyte.gz")[:TEST_IMAGES]
    test_u8.tofile(os.path.join(OUT, "inputs.u8"))
    x = torch.from_numpy(test_u8.copy()).float().div(255).unsqueeze(1)
    rows = []
    for name, make in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(17)
        model = make()
        started = time.time()
        saved = os.path.join(args.weights, name + ".pt") if args.weights else None
        if saved and os.path.exists(saved):
            model.load_state_dict(torch.load(saved))
            for m in model.modules():  # as train leaves them: the export writes 1 - momentum into BatchNormalization
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    m.momentum = None
            model.eval()
        else:
            train(model, train_x, train_y, MODEL_EPOCHS.get(name, EPOCHS))
            if saved:
                os.makedirs(args.weights, exist_ok=True)
                torch.save(model.state_dict(), saved)
        trained = time.time() - started
        with torch.no_grad():
            logits = model(x)
        logits.numpy().astype("<f4").tofile(os.path.join(OUT, name + ".output.bin"))
        accuracy = (logits.argmax(1).numpy() == test_y).mean()
        macs = layer_macs(model, x)
        params = sum(p.numel() for p in model.parameters())
        top2 = logits.topk(2, 1).values
        margin = ((top2[:, 0] - top2[:, 1]) / logits.abs().max(1).values).median().item()
        kept = estimate_8bit(model, x, logits)
        for opset in OPSETS:
            for dyn in (True, False):
                file = "%s_op%d_%s.onnx" % (name, opset, "dyn" if dyn else "b1")
                path = os.path.join(OUT, file)
                axes = {"input": {0: "N"}, "logits": {0: "N"}} if dyn else None
                torch.onnx.export(model, x[:1], path, opset_version=opset, input_names=["input"], output_names=["logits"],
                                  dynamic_axes=axes, do_constant_folding=True)
                ops = sorted({n.op_type for n in onnx.load(path).graph.node})
                rows.append([file, name, opset, "dyn" if dyn else "1", " ".join(map(str, macs)), " ".join(ops)])
                print("%-32s %7d params %9d MACs %6.1f KiB test accuracy %.3f, median top-1 margin %.2f of the largest"
                      " logit, mul8u_exact keeps ~%d/%d top-1s, trained in %.0f s" % (
                          file, params, sum(macs), os.path.getsize(path) / 1024, accuracy, margin, kept, len(x), trained),
                      flush=True)
    path = os.path.join(OUT, "zoo.csv")
    lock = os.open(OUT, os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)  # a parallel run for other models rewrites zoo.csv too
    if only and os.path.exists(path):
        with open(path) as f:
            old = [r for r in csv.reader(f)][1:]
        rows = [r for r in old if r[1] not in only] + rows
    rows.sort(key=lambda r: (list(MODELS).index(r[1]), r[0]))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "model", "opset", "batch", "layer_macs", "ops"])
        w.writerows(rows)
    os.close(lock)


if __name__ == "__main__":
    main()
