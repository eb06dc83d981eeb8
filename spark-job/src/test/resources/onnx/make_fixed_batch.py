#!/usr/bin/python3
# Makes fixed_batch_halves.onnx, the fixture of FixedBatchRunTest, with Debian's python3-torch 1.13 (run once with
# /usr/bin/python3 make_fixed_batch.py from this folder; the output is committed). A 1x28x28 -> 10 classes model whose
# forward splits each image's features into two rows, x.view(x.size(0) * 2, -1), for one Linear shared by the halves,
# and joins them again with .view(x.size(0), -1). Exported the common way, with a batch-1 example and no
# dynamic_axes, both views become constant Reshapes, [2, -1] and [1, -1]: the first does not start with the batch,
# so AxDSE cannot read it as the batch axis, and the model runs only on batches of 1 (Network.fixedBatch).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)


class Halves(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=2, padding=1)  # 4x14x14 = 784 features, 392 per half
        self.rows = nn.Linear(392, 16)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        y = F.relu(self.conv(x))
        y = F.relu(self.rows(y.view(x.size(0) * 2, -1)))
        return self.fc(y.view(x.size(0), -1))


model = Halves().eval()
torch.onnx.export(model, torch.rand(1, 1, 28, 28), "fixed_batch_halves.onnx", opset_version=13, input_names=["input"],
                  output_names=["logits"])
