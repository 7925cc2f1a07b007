"""The device and dtype models run on, from the config's `device` and `dtype`: resolved
once per pipeline (or training run) and handed to every model it loads.

torch is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.errors import UserError


def pick_device(requested: str) -> str:
    """Turn `auto|cpu|cuda|cuda:N|mps` into a device torch can use, or explain why not.

    `cpu` needs no question to torch: the ONNX path then runs without importing it.
    """
    if requested == "cpu":
        return requested
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UserError(
                f"device {requested!r} asked for, but torch {torch.__version__} sees no CUDA GPU; "
                "use --device cpu (or device: auto)"
            )
        index = int(requested.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise UserError(
                f"device {requested!r} asked for, but only {torch.cuda.device_count()} GPU(s) exist"
            )
    if requested == "mps" and not torch.backends.mps.is_available():
        raise UserError("device 'mps' asked for, but this machine has no Apple GPU")
    return requested


def pick_dtype(requested: str, device: str) -> str:
    """Turn `auto|float32|float16|bfloat16` into a torch dtype name for `device`.

    `auto` is bfloat16 on a CUDA GPU that supports it (half the memory, no fp16 overflow)
    and float32 everywhere else: fp16 overflows in some checkpoints (T5), and CPUs gain
    little from half precision.
    """
    if requested != "auto":
        return requested
    if not device.startswith("cuda"):
        return "float32"
    import torch

    return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"


@dataclass(frozen=True)
class Placement:
    """Where the models of one pipeline run: a device torch can use (`cuda:1` keeps its
    index) and a torch dtype name (`float32`, `bfloat16`, ...)."""

    device: str
    dtype: str


def resolve_placement(device: str, dtype: str = "auto") -> Placement:
    """`pick_device` and `pick_dtype` once, for everything loaded after."""
    chosen = pick_device(device)
    return Placement(chosen, pick_dtype(dtype, chosen))
