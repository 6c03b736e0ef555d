"""The Lacuna LGVI model-pack contract, as the exporter writes it.

This module needs no torch: it holds the tensor contract of models/README.md (names, dtypes,
shapes, dynamic axes), builds manifest.json with real sizes and SHA-256 checksums, checks an
exported ONNX file's signature against the contract (with the `onnx` package), and validates a
manifest against models/manifest.schema.json (with `jsonschema`, when installed).

It doubles as a small tool:

    python3 lgvi_pack_manifest.py refresh <pack-dir>

recomputes `size` and `sha256` of every file an existing manifest lists (after replacing a file by
hand, say) and rewrites manifest.json atomically.

The TypeScript side (src/engine/lgvi/pack/contract.ts and manifest.ts) is the engine's source of
truth; this file restates it for Python and must follow it when it changes.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

PACK_FORMAT = "lacuna.lgvi-pack"
PACK_FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "manifest.schema.json"

# CLIP ViT-L/14 context length and width; SD 1.x VAE: 4 latent channels at 1/8 of the image size.
TEXT_TOKENS = 77
TEXT_WIDTH = 768
LATENT_CHANNELS = 4
VAE_DOWNSAMPLE = 8

# LGVI's working size, window and sampling defaults (models/README.md, "manifest.json").
WORKING = {"width": 512, "height": 320, "frames": 24, "latentScale": 0.18215}


def set_working(*, width: int, height: int, frames: int) -> None:
    """Another working size than LGVI's (the parity fixture's small one). Images must be multiples
    of 64 so the traced U-Net's latents stay multiples of 8 (see the README's known limits)."""
    if width % 64 or height % 64 or width <= 0 or height <= 0:
        raise ValueError(f"working size {width}x{height} is not a positive multiple of 64")
    if frames < 2:
        raise ValueError(f"{frames} frames: the temporal layers need at least 2")
    WORKING.update(width=width, height=height, frames=frames)
DEFAULTS = {"guidanceScale": 3.0, "imageGuidanceScale": 1.5, "steps": 50}

Dim = Union[int, str]


@dataclass(frozen=True)
class TensorContract:
    name: str
    shape: Tuple[Dim, ...]
    # "ids": int64 token ids; "timestep": float32 in both precisions (the README asks fp16 files to
    # keep it float32: float16 resolves only 0.5 between 512 and 1000); "float": the precision's type.
    kind: str


@dataclass(frozen=True)
class ModelContract:
    role: str  # the manifest's key under `files`
    stem: str  # file name without extension
    inputs: Tuple[TensorContract, ...]
    outputs: Tuple[TensorContract, ...]


def _latent_video(name: str, channels: int = LATENT_CHANNELS) -> TensorContract:
    return TensorContract(name, ("B", channels, "T", "h", "w"), "float")


MODELS: Tuple[ModelContract, ...] = (
    ModelContract(
        "textEncoder",
        "text_encoder",
        (TensorContract("input_ids", ("B", TEXT_TOKENS), "ids"),),
        (TensorContract("last_hidden_state", ("B", TEXT_TOKENS, TEXT_WIDTH), "float"),),
    ),
    ModelContract(
        "vaeEncoder",
        "vae_encoder",
        (TensorContract("image", ("B", 3, "H", "W"), "float"),),
        (
            TensorContract("latent_mean", ("B", LATENT_CHANNELS, "h", "w"), "float"),
            TensorContract("latent_logvar", ("B", LATENT_CHANNELS, "h", "w"), "float"),
        ),
    ),
    ModelContract(
        "vaeDecoder",
        "vae_decoder",
        (TensorContract("latent", ("B", LATENT_CHANNELS, "h", "w"), "float"),),
        (TensorContract("image", ("B", 3, "H", "W"), "float"),),
    ),
    ModelContract(
        "unet",
        "unet",
        (
            _latent_video("sample"),
            TensorContract("timestep", ("B",), "timestep"),
            TensorContract("encoder_hidden_states", ("B", TEXT_TOKENS, TEXT_WIDTH), "float"),
            _latent_video("img_condition"),
        ),
        # The reference's mask decoder ends at latent size: [B, 1, T, h, w].
        (_latent_video("noise_pred"), _latent_video("mask", 1)),
    ),
)
MODEL_BY_ROLE: Dict[str, ModelContract] = {m.role: m for m in MODELS}


def set_text_length(any_length: bool) -> None:
    """The U-Net's text axis: 77 CLIP tokens (LGVI), or any length "L" (an LGVI-I pack: the transfer
    head gives one row per instruction token, fed unpadded). The text encoder keeps 77."""
    global MODELS
    unet = MODEL_BY_ROLE["unet"]
    text = TensorContract("encoder_hidden_states", ("B", "L" if any_length else TEXT_TOKENS, TEXT_WIDTH), "float")
    unet = ModelContract(unet.role, unet.stem, tuple(text if t.name == text.name else t for t in unet.inputs), unet.outputs)
    MODELS = tuple(unet if m.role == "unet" else m for m in MODELS)
    MODEL_BY_ROLE["unet"] = unet


def unet_text_length() -> Dim:
    return next(t.shape[1] for t in MODEL_BY_ROLE["unet"].inputs if t.name == "encoder_hidden_states")
PRECISIONS = ("fp32", "fp16")


def model_file_name(role: str, precision: str) -> str:
    stem = MODEL_BY_ROLE[role].stem
    return f"{stem}.onnx" if precision == "fp32" else f"{stem}.{precision}.onnx"


def _dtype(kind: str, precision: str) -> str:
    if kind == "ids":
        return "int64"
    if kind == "timestep":
        return "float32"
    return "float16" if precision == "fp16" else "float32"


def _shape(shape: Sequence[Dim], static_frames: bool) -> List[Dim]:
    # A U-Net whose frame count is baked into the graph declares the window size as a number.
    return [WORKING["frames"] if (d == "T" and static_frames) else d for d in shape]


def tensor_specs(role: str, precision: str, static_frames: bool = False) -> Tuple[List[dict], List[dict]]:
    """The manifest's `inputs` and `outputs` for one model file."""
    model = MODEL_BY_ROLE[role]

    def spec(t: TensorContract) -> dict:
        return {"name": t.name, "dtype": _dtype(t.kind, precision), "shape": _shape(t.shape, static_frames)}

    return [spec(t) for t in model.inputs], [spec(t) for t in model.outputs]


def dynamic_axes(role: str, static_frames: bool = False) -> Dict[str, Dict[int, str]]:
    """torch.onnx.export's dynamic_axes: every symbolic dim, named by its manifest symbol."""
    model = MODEL_BY_ROLE[role]
    axes: Dict[str, Dict[int, str]] = {}
    for t in model.inputs + model.outputs:
        named = {i: d for i, d in enumerate(_shape(t.shape, static_frames)) if isinstance(d, str)}
        if named:
            axes[t.name] = named
    return axes


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def file_ref(pack_dir: Path, rel: str) -> dict:
    """{path, size, sha256} of a file inside the pack, measured now."""
    path = pack_dir / rel
    return {"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path)}


# ONNX TensorProto element types for the manifest's dtypes.
_ONNX_ELEM = {"float32": 1, "int32": 6, "int64": 7, "float16": 10}
_ELEM_NAME = {v: k for k, v in _ONNX_ELEM.items()}


def check_onnx_signature(onnx_path: Path, inputs: Sequence[dict], outputs: Sequence[dict]) -> List[str]:
    """Problems between an ONNX file's graph inputs/outputs and the manifest specs, as the engine
    checks them when it opens a session: same input names (no extra inputs), every listed output
    present, element types equal, a numeric dim equal, a symbolic dim really dynamic."""
    import onnx  # only the exporter needs it

    graph = onnx.load(str(onnx_path), load_external_data=False).graph
    initializers = {i.name for i in graph.initializer}
    graph_inputs = {v.name: v for v in graph.input if v.name not in initializers}
    graph_outputs = {v.name: v for v in graph.output}
    problems: List[str] = []
    for kind, specs, values in (("input", inputs, graph_inputs), ("output", outputs, graph_outputs)):
        for spec in specs:
            value = values.get(spec["name"])
            if value is None:
                problems.append(f'{onnx_path.name}: {kind} "{spec["name"]}" is missing (has: {", ".join(values) or "none"})')
                continue
            tensor_type = value.type.tensor_type
            if tensor_type.elem_type != _ONNX_ELEM[spec["dtype"]]:
                problems.append(f'{onnx_path.name}: {kind} "{spec["name"]}" is {_ELEM_NAME.get(tensor_type.elem_type, f"element type {tensor_type.elem_type}")}, expected {spec["dtype"]}')
            dims = list(tensor_type.shape.dim)
            if len(dims) != len(spec["shape"]):
                problems.append(f'{onnx_path.name}: {kind} "{spec["name"]}" has rank {len(dims)}, expected {len(spec["shape"])}')
                continue
            for i, (dim, want) in enumerate(zip(dims, spec["shape"])):
                fixed = dim.dim_value if dim.HasField("dim_value") else None
                if isinstance(want, int) and fixed is not None and fixed != want:
                    problems.append(f'{onnx_path.name}: {kind} "{spec["name"]}" dim {i} is {fixed}, expected {want}')
                if isinstance(want, str) and fixed is not None:
                    problems.append(f'{onnx_path.name}: {kind} "{spec["name"]}" dim {i} is fixed at {fixed} but must be dynamic ({want})')
    for name in graph_inputs:
        if name not in {s["name"] for s in inputs}:
            problems.append(f'{onnx_path.name}: unexpected input "{name}"')
    return problems


def model_entry(pack_dir: Path, role: str, variants: Dict[str, dict], static_frames: bool) -> dict:
    """A `files.<role>` entry. `variants` maps "fp32" (required) and optionally "fp16" to
    {"path": ..., "data": [paths of external-data files]}."""

    def variant(precision: str) -> dict:
        v = variants[precision]
        entry = file_ref(pack_dir, v["path"])
        if v.get("data"):
            entry["data"] = [file_ref(pack_dir, d) for d in v["data"]]
        entry["inputs"], entry["outputs"] = tensor_specs(role, precision, static_frames)
        return entry

    entry = variant("fp32")
    if "fp16" in variants:
        entry["fp16"] = variant("fp16")
    return entry


def build_manifest(
    pack_dir: Path,
    *,
    pack_id: str,
    name: str,
    version: str,
    description: Optional[str],
    source: dict,
    licence: dict,
    scheduler: dict,
    models: Dict[str, Dict[str, dict]],
    tokenizer_path: str,
    static_frames: bool,
) -> dict:
    """manifest.json for the files now in `pack_dir` (sizes and checksums measured here)."""
    manifest = {
        "format": PACK_FORMAT,
        "formatVersion": PACK_FORMAT_VERSION,
        "id": pack_id,
        "name": name,
        "version": version,
    }
    if description:
        manifest["description"] = description
    manifest.update(
        {
            "source": source,
            "licence": licence,
            "working": dict(WORKING),
            "defaults": dict(DEFAULTS),
            "scheduler": copy.deepcopy(scheduler),
            "files": {
                **{m.role: model_entry(pack_dir, m.role, models[m.role], static_frames) for m in MODELS},
                "tokenizer": file_ref(pack_dir, tokenizer_path),
            },
        }
    )
    return manifest


def schema_problems(manifest: dict, schema_path: Path = SCHEMA_FILE) -> Optional[List[str]]:
    """Problems against manifest.schema.json, or None when `jsonschema` is not installed."""
    try:
        import jsonschema
    except ImportError:
        return None
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [f'{"/".join(str(p) for p in e.absolute_path) or "(top)"}: {e.message}' for e in validator.iter_errors(manifest)]


def write_json_atomic(path: Path, value: dict) -> None:
    """Temp file beside the target, fsync, rename: a crash leaves the old file or the new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a pack's files are for every user of the machine
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _file_refs(manifest: dict) -> Iterable[dict]:
    files = manifest["files"]
    yield files["tokenizer"]
    for m in MODELS:
        entry = files[m.role]
        for variant in (entry, entry.get("fp16")):
            if variant:
                yield variant
                yield from variant.get("data", [])


def refresh(pack_dir: Path) -> List[str]:
    """Re-measures every file the manifest lists; returns the paths whose size or checksum changed."""
    manifest_path = pack_dir / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    changed = []
    for ref in _file_refs(manifest):
        fresh = file_ref(pack_dir, ref["path"])
        if (fresh["size"], fresh["sha256"]) != (ref["size"], ref["sha256"]):
            changed.append(ref["path"])
            ref["size"], ref["sha256"] = fresh["size"], fresh["sha256"]
    problems = schema_problems(manifest)
    if problems:
        raise SystemExit("manifest.json does not match manifest.schema.json:\n  " + "\n  ".join(problems))
    write_json_atomic(manifest_path, manifest)
    return changed


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="recompute sizes and checksums in <pack>/manifest.json")
    p_refresh.add_argument("pack", type=Path)
    args = parser.parse_args(argv)
    if args.command == "refresh":
        changed = refresh(args.pack)
        print(f"{len(changed)} file(s) changed: {', '.join(changed)}" if changed else "all sizes and checksums were already right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
