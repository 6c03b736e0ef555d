#!/usr/bin/env python3
"""Fused attention for a pack's U-Net: onnxruntime's transformer optimizer (model_type "unet")
rewrites each attention block of the exported graph (MatMul, Softmax, MatMul over explicit score
matrices) into one com.microsoft Attention (self and temporal attention) or MultiHeadAttention
(cross-attention) node, whose kernels never hold the whole B * heads * tokens^2 score matrix.

Two targets:
- "cpu": attention, LayerNorm and Gelu fusions only, which onnxruntime's CPU provider runs (and
  onnxruntime-node, so `lacuna models verify` opens the file). The CPU kernel still computes the
  scores, a head at a time, so on the CPU the saving is bounded (models/README.md, "Memory").
- "cuda": onnxruntime's full Stable Diffusion set (also GroupNorm, SkipGroupNorm, BiasSplitGelu,
  BiasAdd, NhwcConv, packed QKV/KV), several of them CUDA-only kernels: the file then needs the
  CUDA provider, whose flash / memory-efficient attention is where the big saving is.

Used by export_lgvi_pack.py --fuse-attention, or on a finished pack:
    python3 models/export/fuse_attention.py <pack> --out <new pack> [--target cpu|cuda]
which copies the pack, fuses unet.onnx (and unet.fp16.onnx if present) and re-measures the
manifest. Needs onnx and onnxruntime (its Python package carries the optimizer).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lgvi_pack_manifest as contract  # noqa: E402  (beside this file)

TARGETS = ("cpu", "cuda")
# Fusions whose kernels only the CUDA provider has (onnxruntime 1.30's contrib ops).
CUDA_ONLY = ("enable_group_norm", "enable_skip_group_norm", "enable_bias_splitgelu", "enable_bias_add", "enable_nhwc_conv", "enable_packed_qkv", "enable_packed_kv")
FUSED_OPS = ("Attention", "MultiHeadAttention")


def fuse_unet_attention(src: Path, dst: Path, target: str) -> Dict[str, int]:
    """Writes the fused graph of `src` to `dst` (weights in `dst`.data beside it); returns the fused
    operator counts. Fails when no attention block was fused (a graph the optimizer's patterns do
    not match would otherwise be shipped as "fused" unchanged)."""
    if target not in TARGETS:
        raise SystemExit(f"--fuse-attention: target {target!r}, expected one of {', '.join(TARGETS)}")
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("unet")
    if target == "cpu":
        for flag in CUDA_ONLY:
            setattr(options, flag, False)
    # num_heads / hidden_size 0: the optimizer reads them from each attention's reshape nodes.
    model = optimizer.optimize_model(str(src), model_type="unet", num_heads=0, hidden_size=0, opt_level=0, optimization_options=options, use_gpu=(target == "cuda"))
    stats = {k: v for k, v in model.get_fused_operator_statistics().items() if v}
    if not any(stats.get(op) for op in FUSED_OPS):
        raise SystemExit(f"{src.name}: onnxruntime's optimizer fused no attention block (operator counts: {stats}); the graph's attention pattern is not one it knows")
    data = dst.with_name(dst.name + ".data")
    data.unlink(missing_ok=True)
    model.save_model_to_file(str(dst), use_external_data_format=True, all_tensors_to_one_file=True)
    written = dst.with_name(dst.name + ".data")
    if not written.exists():
        raise SystemExit(f"{dst.name}: the optimizer did not write its external data as {written.name}")
    return stats


def fuse_pack(pack: Path, out: Path, target: str) -> list:
    """A copy of `pack` in `out` with its U-Net file(s) fused, manifest re-measured."""
    if out.exists():
        raise SystemExit(f"{out} exists; choose a new folder")
    manifest = json.loads((pack / contract.MANIFEST_FILE).read_text(encoding="utf-8"))
    shutil.copytree(pack, out, ignore=shutil.ignore_patterns(".lacuna-verified.json"))
    report = []
    unet = manifest["files"]["unet"]
    for variant in [unet] + ([unet["fp16"]] if unet.get("fp16") else []):
        path = out / variant["path"]
        data_name = Path(variant["path"]).name + ".data"
        with tempfile.TemporaryDirectory(prefix="lacuna-fuse-") as tmp:
            fused = Path(tmp) / Path(variant["path"]).name
            stats = fuse_unet_attention(path, fused, target)
            for old in variant.get("data", []):
                (out / old["path"]).unlink(missing_ok=True)
            shutil.move(str(fused), path)
            shutil.move(str(fused.with_name(data_name)), path.with_name(data_name))
            for written in (path, path.with_name(data_name)):
                written.chmod(0o644)
        # Only the files rewritten here are re-measured (a parity fixture lists a text encoder it
        # does not ship).
        measured = contract.file_ref(out, variant["path"])
        variant["size"], variant["sha256"] = measured["size"], measured["sha256"]
        variant["data"] = [contract.file_ref(out, Path(variant["path"]).with_name(data_name).as_posix())]
        report.append(f"{variant['path']}: fused for {target}: {stats}")
    notes = manifest["source"].get("notes", "")
    manifest["source"]["notes"] = (notes + " " if notes else "") + f"U-Net attention fused by onnxruntime.transformers.optimizer (model_type unet, target {target}; models/export/fuse_attention.py)."
    problems = contract.schema_problems(manifest)
    if problems:
        raise SystemExit("manifest.json does not match manifest.schema.json:\n  " + "\n  ".join(problems))
    contract.write_json_atomic(out / contract.MANIFEST_FILE, manifest)
    return report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pack", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--target", choices=TARGETS, default="cpu")
    args = p.parse_args(argv)
    for line in fuse_pack(args.pack.resolve(), args.out.resolve(), args.target):
        print(line)
    print(f"next: lacuna models verify {args.out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
