#!/usr/bin/env python3
"""An fp16 variant of a pack's U-Net made from its fp32 ONNX file (no torch, no GPU), for
scripts/gpu-check.sh's half-precision run of the parity fixture's U-Net at LGVI's real size.

onnxruntime's float16 converter (onnxruntime.transformers.float16) rewrites the weights and every
float tensor to float16, keeping `timestep` float32 at the input as models/README.md prefers, and
the converter's default block list (Resize, Range, ...) in float32; the timestep embedding runs in
float16 (keeping its Sin and Cos in float32 makes the converter write two nodes of one name). This is
not how export_lgvi_pack.py makes a real pack's fp16 files (it traces the half-precision PyTorch
model on CUDA, as the reference runs it); it gives the same tensors at the same sizes, which is what
a time-and-memory check needs.

    python3 models/export/fp16_variant.py <pack> --out <new pack>
copies the pack and adds `files.unet.fp16` (unet.fp16.onnx + unet.fp16.onnx.data) to its manifest.
Needs onnx and onnxruntime.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lgvi_pack_manifest as contract  # noqa: E402  (beside this file)


def restore_resize_parameters(model) -> None:
    """The converter keeps Resize itself in float32 but turns the Constant nodes holding its roi and
    scales into float16, which Resize refuses ("Type 'tensor(float16)' of input parameter ... is
    invalid"): those go back to float32."""
    import numpy as np
    from onnx import TensorProto, numpy_helper

    producers = {o: n for n in model.graph.node for o in n.output if n.op_type == "Constant"}
    for node in model.graph.node:
        if node.op_type != "Resize":
            continue
        for name in node.input[1:3]:  # roi, scales (sizes is int64)
            const = producers.get(name)
            if const is None:
                continue
            for attr in const.attribute:
                if attr.name == "value" and attr.t.data_type == TensorProto.FLOAT16:
                    attr.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attr.t).astype(np.float32), attr.t.name))


def add_unet_fp16(pack: Path, out: Path) -> str:
    import onnx
    from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16

    if out.exists():
        raise SystemExit(f"{out} exists; choose a new folder")
    manifest = json.loads((pack / contract.MANIFEST_FILE).read_text(encoding="utf-8"))
    unet = manifest["files"]["unet"]
    if unet.get("fp16"):
        raise SystemExit(f"{pack}: the U-Net already has an fp16 variant ({unet['fp16']['path']})")
    shutil.copytree(pack, out, ignore=shutil.ignore_patterns(".lacuna-verified.json"))
    model = onnx.load(str(out / unet["path"]))
    # The exported graph casts float32 to float32 where diffusers' attention writes `.to(dtype)`;
    # the converter leaves such a Cast at float32 and then mistypes it, so they go first.
    from onnxruntime.transformers.fusion_utils import FusionUtils
    from onnxruntime.transformers.onnx_model import OnnxModel

    wrapped = OnnxModel(model)
    FusionUtils(wrapped).remove_useless_cast_nodes()
    model = wrapped.model
    half = convert_float_to_float16(model, keep_io_types=["timestep"], op_block_list=list(DEFAULT_OP_BLOCK_LIST))
    restore_resize_parameters(half)
    name = contract.model_file_name("unet", "fp16")
    onnx.save_model(half, str(out / name), save_as_external_data=True, all_tensors_to_one_file=True, location=name + ".data", size_threshold=1024)
    for written in (out / name, out / (name + ".data")):
        written.chmod(0o644)
    static = isinstance(unet["inputs"][0]["shape"][2], int)
    spec_in, spec_out = contract.tensor_specs("unet", "fp16", static)
    problems = contract.check_onnx_signature(out / name, spec_in, spec_out)
    if problems:
        raise SystemExit(f"{name} does not match the pack contract:\n  " + "\n  ".join(problems))
    entry = contract.file_ref(out, name)
    entry["data"] = [contract.file_ref(out, name + ".data")]
    entry["inputs"], entry["outputs"] = spec_in, spec_out
    unet["fp16"] = entry
    notes = manifest["source"].get("notes", "")
    manifest["source"]["notes"] = (notes + " " if notes else "") + "unet.fp16.onnx converted from unet.onnx by onnxruntime.transformers.float16 (models/export/fp16_variant.py), not traced in fp16."
    problems = contract.schema_problems(manifest)
    if problems:
        raise SystemExit("manifest.json does not match manifest.schema.json:\n  " + "\n  ".join(problems))
    contract.write_json_atomic(out / contract.MANIFEST_FILE, manifest)
    return f"{name}: {entry['size'] + entry['data'][0]['size']} bytes, timestep float32 at the input"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pack", type=Path)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    print(add_unet_fp16(args.pack.resolve(), args.out.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
