"""LoupeNet: a small residual CNN with one trunk and a head per grade, built for eager-mode INT8.

Trunk: a stride-2 3×3 stem, then per stage a stride-2 3×3 conv and one residual block
(two 3×3 convs, add, ReLU). Plain 3×3 convolutions were chosen over MobileNet's depthwise
separable blocks by measurement on this machine: with channels_last they train several times
faster per image on 2 CPU cores (PyTorch's CPU depthwise backward is slow), and at this size the
parameter saving of depthwise blocks buys nothing (the INT8 model is about 1 MB either way).
Every conv is Conv-BN-ReLU so that fusion leaves only quantized conv(+relu) ops; the residual
add is a FloatFunctional so it quantizes to a quantized add_relu.
Pooling: "avg" (the default, and every release so far) is global average pooling; "avgmax"
concatenates global average and global max pooling. A clarity mark is a few pixels, inside one
cell of the last 5×5 feature map (at 144 px), and averaging over the 25 cells dilutes its
response 25-fold; the max keeps it whole. Tried once, it did not separate the top clarity grades
(NOTES.md §11).
Outputs: logits for colour (23), clarity (11), cut (5) and the standardised proportions (4).
"""
from __future__ import annotations

import torch
import torch.nn as nn
from torch.ao.quantization import DeQuantStub, QuantStub, fuse_modules

from .grades import HEADS, PROPORTION_NAMES

DEFAULT_WIDTHS = (24, 32, 64, 128, 160)
POOLS = ("avg", "avgmax")
OUTPUT_NAMES = [*HEADS, "proportions"]


class ConvBnRelu(nn.Sequential):
    def __init__(self, cin: int, cout: int, stride: int = 1, relu: bool = True):
        layers = [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)]
        if relu:
            layers.append(nn.ReLU(inplace=False))
        super().__init__(*layers)

    def fuse(self) -> None:
        fuse_modules(self, [["0", "1", "2"] if len(self) == 3 else ["0", "1"]], inplace=True)


class ResidualBlock(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = ConvBnRelu(channels, channels)
        self.conv2 = ConvBnRelu(channels, channels, relu=False)
        self.skip = nn.quantized.FloatFunctional()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.skip.add_relu(self.conv2(self.conv1(x)), x)


class GlobalMaxPool(nn.Module):
    """Max over the whole map, as a max_pool2d with the map's size for a kernel: quantized
    PyTorch has max_pool2d but no adaptive_max_pool2d, and the input size is fixed per release."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        kernel = (int(x.shape[-2]), int(x.shape[-1]))
        return x if kernel == (1, 1) else nn.functional.max_pool2d(x, kernel_size=kernel)  # QNNPACK refuses 1×1


class LoupeNet(nn.Module):
    def __init__(self, widths=DEFAULT_WIDTHS, pool: str = "avg"):
        super().__init__()
        if pool not in POOLS:
            raise ValueError(f"pool must be one of {POOLS}, not {pool!r}")
        self.widths = tuple(widths)
        # Two stubs: INT8 starts at the image (quant_input) or after a float stem (quant_trunk);
        # quantize.py gives a qconfig to the one in use, and a stub without one stays an identity.
        self.quant_input = QuantStub()
        self.stem = ConvBnRelu(3, widths[0], stride=2)
        self.quant_trunk = QuantStub()
        stages = []
        for cin, cout in zip(widths, widths[1:]):
            stages += [ConvBnRelu(cin, cout, stride=2), ResidualBlock(cout)]
        self.trunk = nn.Sequential(*stages)
        # INT8 ends after the heads (dequant) or after the trunk (dequant_trunk, FP32 pool and heads).
        self.dequant_trunk = DeQuantStub()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.max_pool = GlobalMaxPool() if pool == "avgmax" else None
        # A quantizable concat, so that the INT8-heads variant (quantize.py) still converts.
        self.pool_cat = nn.quantized.FloatFunctional() if pool == "avgmax" else None
        features = widths[-1] * (2 if pool == "avgmax" else 1)
        self.heads = nn.ModuleDict({name: nn.Linear(features, len(labels)) for name, labels in HEADS.items()})
        self.proportions = nn.Linear(features, len(PROPORTION_NAMES))
        self.dequant = DeQuantStub()

    def forward(self, x: torch.Tensor):
        x = self.quant_trunk(self.stem(self.quant_input(x)))
        features = self.pooled_features(self.dequant_trunk(self.trunk(x)))
        outputs = [self.dequant(head(features)) for head in self.heads.values()]
        outputs.append(self.dequant(self.proportions(features)))
        return tuple(outputs)

    def pooled_features(self, trunk: torch.Tensor) -> torch.Tensor:
        """[N, C, H, W] trunk output → [N, C] (avg) or [N, 2C] (avg, then max) head input."""
        features = self.pool(trunk).flatten(1)
        if self.max_pool is not None:
            features = self.pool_cat.cat([features, self.max_pool(trunk).flatten(1)], 1)
        return features

    def fuse(self) -> None:
        for module in self.modules():
            if isinstance(module, ConvBnRelu):
                module.fuse()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
