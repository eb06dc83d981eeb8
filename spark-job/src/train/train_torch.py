#!/usr/bin/python3
"""Trains AxDSE's bundled ResNet-20 and MobileNet for Fashion-MNIST with Debian's python3-torch and exports ONNX.

The two deeper bundled models of AxDSE (see MODELS.md beside this file) are made the way AxDSE's users make
theirs: trained in PyTorch, exported with torch.onnx.export in eval mode (BatchNormalization folded into the
convolutions by the exporter's constant folding), with a dynamic batch axis.

    apt-get install python3-torch            # Debian bookworm: torch 1.13
    /usr/bin/python3 spark-job/src/train/train_torch.py resnet20 --out spark-job/src/main/resources/models
    /usr/bin/python3 spark-job/src/train/train_torch.py mobilenet --out spark-job/src/main/resources/models

Input: 1x28x28 pixels scaled to [0, 1] (AxDSE's Normalization.UNIT), labels 0-9. The script reads Debian's
dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) or --data DIR with the four IDX .gz files.
Recipe: SGD with Nesterov momentum 0.9, weight decay 5e-4, one-cycle learning rate, batch 128, random
horizontal flips and 2-pixel random shifts, seed fixed; the epochs per model are in RECIPES. Training runs on
the CPU in channels-last layout with one thread by default (Debian's build: one thread and channels-last were 7x
faster per batch than two OpenMP threads in NCHW on a shared 2-core machine); it is never part of the build or CI.
"""
import argparse
import gzip
import hashlib
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RECIPES = {
    # name: (epochs, peak learning rate)
    "resnet20": (6, 0.1),
    "mobilenet": (6, 0.1),
}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, prefix + "-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, prefix + "-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


class BasicBlock(nn.Module):
    """He et al.'s basic block; a 1x1 convolution + BN projects the shortcut when the shape changes (option B)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    """CIFAR-style ResNet-20 (6n+2, n = 3; 16/32/64 channels) for 1x28x28 input: 22 approximable layers."""

    def __init__(self, width=16, blocks=3, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(1, width, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        layers, cin = [], width
        for stage, cout in enumerate((width, 2 * width, 4 * width)):
            for b in range(blocks):
                layers.append(BasicBlock(cin, cout, 2 if (stage > 0 and b == 0) else 1))
                cin = cout
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class MobileNet(nn.Module):
    """A small MobileNet-V1-style network: a 3x3 stem, five depthwise-separable blocks, global average pooling and a
    dense layer: 12 approximable layers. Each block is a depthwise 3x3 convolution followed directly by the pointwise
    1x1 convolution + BN + ReLU6, without BN and ReLU6 between them: the quantization-friendly separable convolution
    of Sheng et al. (2018). With BN folded into the depthwise kernels (MobileNet-V1's original block), 8-bit
    quantization of the depthwise layers alone cost 0.5 pp here (exact 8-bit 0.9047 vs FP32 0.9096)."""

    BLOCKS = ((16, 32, 1), (32, 64, 2), (64, 64, 1), (64, 128, 2), (128, 128, 1))

    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        layers = []
        for cin, cout, stride in self.BLOCKS:
            layers += [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False),
                       nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6()]
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(self.BLOCKS[-1][1], classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


MODELS = {"resnet20": ResNet20, "mobilenet": MobileNet}


def augment(x, generator):
    """Random horizontal flips and shifts of up to 2 pixels (zero fill), per image."""
    n = x.shape[0]
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    padded = F.pad(x, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=generator)
    dy = torch.randint(0, 5, (n,), generator=generator)
    out = torch.empty_like(x)
    for i in range(n):
        out[i] = padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28]
    return out


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=".")
    parser.add_argument("--epochs", type=int, default=None, help="override the recipe's epochs")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    epochs, peak = RECIPES[args.model]
    if args.epochs is not None:
        epochs = args.epochs
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "test")
    model = MODELS[args.model]().to(memory_format=torch.channels_last)
    batch = 128
    steps = epochs * ((x_train.shape[0] + batch - 1) // batch)
    optimizer = torch.optim.SGD(model.parameters(), lr=peak, momentum=0.9, nesterov=True, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=peak, total_steps=steps, pct_start=0.25)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(x_train.shape[0], generator=generator)
        total_loss = 0.0
        for i in range(0, x_train.shape[0], batch):
            idx = order[i:i + batch]
            xb = augment(x_train[idx], generator).contiguous(memory_format=torch.channels_last)
            loss = F.cross_entropy(model(xb), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total_loss += loss.item() * idx.shape[0]
        correct = accuracy(model, x_test, y_test)
        print(f"{args.model} epoch {epoch + 1}/{epochs}: loss {total_loss / x_train.shape[0]:.4f}, "
              f"test {correct}/{x_test.shape[0]} = {correct / x_test.shape[0]:.4f}, {time.time() - start:.0f} s",
              flush=True)

    model = model.to(memory_format=torch.contiguous_format).eval()
    path = os.path.join(args.out, args.model + "-fashion-mnist.onnx")
    torch.onnx.export(model, x_test[:1], path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    correct = accuracy(model, x_test, y_test)
    first = accuracy(model, x_test[:1000], y_test[:1000])
    print(f"{path}: sha256 {digest}; FP32 test accuracy {correct}/{x_test.shape[0]} = {correct / x_test.shape[0]:.4f}; "
          f"first 1000: {first}/1000; torch {torch.__version__}; seed {args.seed}; epochs {epochs}; "
          f"{time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
