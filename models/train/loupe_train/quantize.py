"""Static post-training INT8 quantization (torch.ao, qnnpack engine) and ONNX export.

The quantized model exports as QDQ ONNX: QuantizeLinear / DequantizeLinear around each
conv, with int8/uint8 weights and int32 biases stored in the file. onnxruntime fuses every
DequantizeLinear → Conv → QuantizeLinear group into one QLinearConv when it loads the model,
so the convolutions run in INT8 (the evaluation reports both operator histograms).
"""
from __future__ import annotations

import copy

import numpy as np
import torch
import torch.nn as nn
from torch.ao.quantization import QConfig, HistogramObserver, convert, default_per_channel_weight_observer, get_default_qconfig, prepare

from .net import OUTPUT_NAMES, LoupeNet

ENGINE = "qnnpack"
OPSET = 13


def qconfig(per_channel: bool) -> QConfig:
    if not per_channel:
        return get_default_qconfig(ENGINE)
    return QConfig(activation=HistogramObserver.with_args(reduce_range=False), weight=default_per_channel_weight_observer)


def quantize_static(model: LoupeNet, calibration_batches, float_stem: bool = False, per_channel: bool = False,
                    float_heads: bool = False) -> nn.Module:
    """A converted INT8 copy of `model`, its activation ranges observed on calibration_batches (float NCHW).

    float_stem keeps the first conv in FP32 (INT8 starts after it); float_heads keeps the
    pooling and the linear heads in FP32 (INT8 ends after the trunk); per_channel quantizes
    weights per output channel instead of per tensor."""
    torch.backends.quantized.engine = ENGINE
    q = copy.deepcopy(model).to(memory_format=torch.contiguous_format).eval()
    q.fuse()
    q.qconfig = qconfig(per_channel)
    if float_stem:
        q.quant_input.qconfig = None
        q.stem.qconfig = None
    else:
        q.quant_trunk.qconfig = None
    if float_heads:
        for module in (q.heads, q.proportions, q.dequant, q.pool_cat):
            if module is not None:
                module.qconfig = None
    else:
        q.dequant_trunk.qconfig = None
    prepare(q, inplace=True)
    with torch.no_grad():
        for batch in calibration_batches:
            q(batch.contiguous())
    convert(q, inplace=True)
    return q


def export_onnx(model: nn.Module, path, input_size: int, output_names=OUTPUT_NAMES) -> None:
    """ONNX with a dynamic batch dimension on the input and every output."""
    model = model.eval()
    example = torch.zeros(1, 3, input_size, input_size)
    axes = {"image": {0: "batch"}, **{name: {0: "batch"} for name in output_names}}
    with torch.no_grad():
        torch.onnx.export(model, example, str(path), input_names=["image"], output_names=list(output_names),
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)


def operator_histogram(path) -> dict:
    import onnx

    counts: dict = {}
    for node in onnx.load(str(path)).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
