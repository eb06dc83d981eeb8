#!/usr/bin/python3
# Makes the ONNX fixtures of OnnxImportTest with PyTorch's own exporter (Debian: python3-torch 1.13,
# python3-onnx). Run once with Debian's interpreter: /usr/bin/python3 make_fixtures.py; the outputs are committed. Each fixture NAME has
#   NAME.onnx         the export (dynamic batch dimension)
#   NAME.input.bin    float32 little-endian input, shape in fixtures.csv
#   NAME.output.bin   float32 little-endian output computed by PyTorch in eval mode
import csv
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)


def randomize_bn(m):
    # Non-trivial running statistics, so folding and evaluating BatchNorm are really tested.
    for mod in m.modules():
        if isinstance(mod, (nn.BatchNorm2d, nn.BatchNorm1d)):
            with torch.no_grad():
                mod.running_mean.uniform_(-0.5, 0.5)
                mod.running_var.uniform_(0.5, 2.0)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.3, 0.3)


class ConvBnPool(nn.Module):
    """Conv (groups 2, stride 2, pad 1) + BN (folded) + ReLU6 (Clip) + MaxPool (pad) + AvgPool + Flatten + Gemm + Softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2)
        self.bn = nn.BatchNorm2d(6)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.avg = nn.AvgPool2d(2)
        self.fc = nn.Linear(6 * 2 * 2, 5)

    def forward(self, x):
        x = F.relu6(self.bn(self.conv(x)))
        x = self.avg(self.pool(x))
        return F.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class Residual(nn.Module):
    """Conv-BN-ReLU-Conv-BN + Add (residual) + ReLU + GlobalAveragePool + view(N, -1) + Dropout + Gemm."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, bias=False)
        self.b2 = nn.BatchNorm2d(8)
        self.skip = nn.Conv2d(3, 8, 1)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        y = F.relu(y + self.skip(x))
        y = F.adaptive_avg_pool2d(y, 1)
        y = y.view(y.size(0), -1)
        return self.fc(self.drop(y))


class DepthwisePadConcat(nn.Module):
    """Depthwise conv after an asymmetric ZeroPad2d (Pad), AvgPool with padding (Pad + AveragePool), Concat, MatMul + Add."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 2, 0, 1))
        self.dw = nn.Conv2d(4, 4, 3, groups=4)
        self.pw = nn.Conv2d(4, 3, 1)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True)
        self.w = nn.Parameter(torch.randn(7 * 3 * 4, 6) * 0.1)
        self.b = nn.Parameter(torch.randn(6) * 0.1)

    def forward(self, x):
        a = self.dw(self.pad(x))
        b = self.pw(a)
        y = torch.cat([a, b], dim=1)
        y = self.avg(y)
        y = torch.flatten(y, 1)
        return torch.matmul(y, self.w) + self.b


class StandaloneBn(nn.Module):
    """BatchNorm that does not follow a Conv (evaluated), a constant scale (Mul), Identity, a 1x1 conv, Reshape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 1)
        self.bn = nn.BatchNorm2d(3)
        self.id = nn.Identity()
        self.fc = nn.Linear(3 * 5 * 5, 3)

    def forward(self, x):
        y = self.bn(F.relu(self.conv(x)))
        y = self.id(y) * 0.5
        return self.fc(y.reshape(-1, 3 * 5 * 5))


FIXTURES = [
    ("conv_bn_pool", ConvBnPool(), (3, 4, 16, 16), 11),
    ("residual", Residual(), (2, 3, 8, 8), 13),
    ("depthwise_pad_concat", DepthwisePadConcat(), (3, 4, 7, 7), 17),
    ("standalone_bn", StandaloneBn(), (2, 2, 5, 5), 12),
]

rows = []
for name, model, shape, opset in FIXTURES:
    randomize_bn(model)
    model.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, name + ".onnx", opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(name + ".onnx"))
    x.numpy().astype("<f4").tofile(name + ".input.bin")
    y.numpy().astype("<f4").tofile(name + ".output.bin")
    ops = sorted({n.op_type for n in onnx.load(name + ".onnx").graph.node})
    rows.append([name, opset, "x".join(map(str, shape)), "x".join(map(str, y.shape)), " ".join(ops)])



# Hand-made graphs (onnx.helper) for what torch.onnx.export does not emit here: an unfused
# Conv -> BatchNormalization, Gemm with transB=0 / alpha / beta, and a tf2onnx-style NHWC graph
# (Transpose, auto_pad SAME_UPPER, MatMul + Add). Expected outputs come from torch.nn.functional.
from onnx import TensorProto, helper, numpy_helper


def save_handmade(name, nodes, inits, in_shape, out_name, opset, x, y):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N"] + list(in_shape[1:]))],
                              [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["N"] + list(y.shape[1:]))],
                              [numpy_helper.from_array(v.detach().numpy() if v.dtype == torch.int64
                                                       else v.detach().numpy().astype(np.float32), k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_fixtures.py")
    onnx.checker.check_model(model)
    onnx.save(model, name + ".onnx")
    x.numpy().astype("<f4").tofile(name + ".input.bin")
    y.detach().numpy().astype("<f4").tofile(name + ".output.bin")
    rows.append([name, opset, "x".join(map(str, x.shape)), "x".join(map(str, y.shape)),
                 " ".join(sorted({n.op_type for n in nodes}))])


x = torch.randn(3, 3, 6, 6)
w = torch.randn(5, 3, 3, 3) * 0.3
cb = torch.randn(5) * 0.1
gamma, beta, mean, var = torch.rand(5) + 0.5, torch.randn(5) * 0.2, torch.randn(5) * 0.3, torch.rand(5) + 0.5
gw = torch.randn(5 * 6 * 6, 4) * 0.05  # Gemm B without transpose: [K, M]
gc = torch.randn(4) * 0.1
y = F.relu(F.batch_norm(F.conv2d(x, w, cb, padding=1), mean, var, gamma, beta, False, 0.0, 1e-3))
y = 0.5 * torch.flatten(y, 1) @ gw + 2.0 * gc
save_handmade("conv_bn_unfused", [
    helper.make_node("Conv", ["input", "w", "cb"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["bn"], epsilon=1e-3),
    helper.make_node("Relu", ["bn"], ["r"]),
    helper.make_node("Flatten", ["r"], ["f"], axis=1),
    helper.make_node("Gemm", ["f", "gw", "gc"], ["output"], alpha=0.5, beta=2.0, transB=0),
], {"w": w, "cb": cb, "gamma": gamma, "beta": beta, "mean": mean, "var": var, "gw": gw, "gc": gc},
    x.shape, "output", 13, x, y)

x = torch.randn(2, 9, 9, 2)  # NHWC, as TensorFlow models are
w = torch.randn(4, 2, 3, 3) * 0.3
cb = torch.randn(4) * 0.1
mw = torch.randn(5 * 5 * 4, 3) * 0.1
mb = torch.randn(3) * 0.1
t = x.permute(0, 3, 1, 2)
t = F.conv2d(F.pad(t, (1, 1, 1, 1)), w, cb, stride=2)  # SAME_UPPER, in 9 stride 2: out 5, total pad 2
t = F.relu(t)
t = F.max_pool2d(F.pad(t, (0, 1, 0, 1), value=float("-inf")), 2, stride=1)  # SAME_UPPER 2x2 stride 1: pad (0, 1)
t = t.permute(0, 2, 3, 1).reshape(2, -1)
y = F.softmax(t @ mw + mb, dim=1)
save_handmade("tf_style_nhwc", [
    helper.make_node("Transpose", ["input"], ["nchw"], perm=[0, 3, 1, 2]),
    helper.make_node("Conv", ["nchw", "w", "cb"], ["c"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[1, 1], auto_pad="SAME_UPPER"),
    helper.make_node("Transpose", ["p"], ["nhwc"], perm=[0, 2, 3, 1]),
    helper.make_node("Reshape", ["nhwc", "shape"], ["flat"]),
    helper.make_node("MatMul", ["flat", "mw"], ["m"]),
    helper.make_node("Add", ["m", "mb"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["output"], axis=-1),
], {"w": w, "cb": cb, "mw": mw, "mb": mb, "shape": torch.tensor([-1, 100])}, x.shape, "output", 13, x, y)

x = torch.randn(2, 3, 5, 5)
w = torch.randn(4, 3, 3, 3) * 0.3
fw = torch.randn(4, 3) * 0.3
t = F.conv2d(x, w, padding=1)
t = F.leaky_relu(t, 0.1)
t = F.adaptive_max_pool2d(t, 1).reshape(2, 4)
y = torch.sigmoid(t @ fw) - 0.5
save_handmade("identity_dropout_globalmax", [
    helper.make_node("Identity", ["input"], ["i"]),
    helper.make_node("Conv", ["i", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("LeakyRelu", ["c"], ["l"], alpha=0.1),
    helper.make_node("Dropout", ["l"], ["d", "mask"]),
    helper.make_node("GlobalMaxPool", ["d"], ["g"]),
    helper.make_node("Squeeze", ["g", "axes"], ["s"]),
    helper.make_node("MatMul", ["s", "fw"], ["m"]),
    helper.make_node("Sigmoid", ["m"], ["sg"]),
    helper.make_node("Sub", ["sg", "half"], ["output"]),
], {"w": w, "fw": fw, "axes": torch.tensor([2, 3]), "half": torch.tensor(0.5)}, x.shape, "output", 13, x, y)

x = torch.randn(3, 2, 6, 6)
w = torch.randn(4, 2, 3, 3) * 0.3
fw = torch.randn(4, 5) * 0.3
t = torch.tanh(F.conv2d(x, w, stride=2, padding=1)) / 2.0
t = t.mean(dim=[2, 3], keepdim=False)
y = F.log_softmax(t @ fw, dim=-1)
save_handmade("logsoftmax_reducemean_div_tanh", [
    helper.make_node("Conv", ["input", "w"], ["c"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("Tanh", ["c"], ["t"]),
    helper.make_node("Div", ["t", "two"], ["d"]),
    helper.make_node("ReduceMean", ["d"], ["m"], axes=[2, 3], keepdims=0),
    helper.make_node("MatMul", ["m", "fw"], ["z"]),
    helper.make_node("LogSoftmax", ["z"], ["output"], axis=-1),
], {"w": w, "fw": fw, "two": torch.tensor(2.0)}, x.shape, "output", 13, x, y)

with open("fixtures.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "opset", "input_shape", "output_shape", "ops"])
    w.writerows(rows)
print(open("fixtures.csv").read())
