#!/usr/bin/env python3
"""Export the released LGVI checkpoint to a Lacuna model pack (ONNX).

Reads the diffusers-layout checkpoint of the LGVI paper's authors (https://huggingface.co/jianzongwu/lgvi:
unet/, vae/, text_encoder/, tokenizer/, scheduler/), builds the models with the authors' public code
(https://github.com/jianzongwu/Language-Driven-Video-Inpainting, `rovi` package) and diffusers /
transformers, and writes the pack models/README.md describes:

    text_encoder.onnx   input_ids int64 [B,77] -> last_hidden_state [B,77,768]
    vae_encoder.onnx    image [B,3,H,W] -> latent_mean, latent_logvar [B,4,h,w] (unscaled, logvar clamped)
    vae_decoder.onnx    latent [B,4,h,w] -> image [B,3,H,W]
    unet.onnx (+ unet.onnx.data)
                        sample, img_condition [B,4,T,h,w], timestep float32 [B],
                        encoder_hidden_states [B,77,768] -> noise_pred [B,4,T,h,w], mask [B,1,T,h,w]
    *.fp16.onnx         the same in half precision (timestep stays float32)
    tokenizer.json      the checkpoint's CLIP tokenizer, padding and truncation to 77 written in
    manifest.json       sizes and SHA-256 of every file, the checkpoint's scheduler_config.json

Every file is checked before the manifest is written: the ONNX signatures against the contract
(names, element types, which dims are dynamic), onnxruntime against PyTorch on inputs of a
different batch, frame count and size than the export traced (so a dim that the trace baked in
fails here, not in Lacuna), and the tokenizer against the slow CLIPTokenizer the reference
pipeline calls. The pack is assembled in "<out>.partial" and renamed to <out> only when all of that
passed. See README.md beside this file; this script has not been run by its author (no GPU, no
weights where it was written).
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import gc
import importlib.metadata
import inspect
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clip_tokenizer_json  # noqa: E402  (beside this file)
import fuse_attention as fuse  # noqa: E402  (beside this file)
import lgvi_pack_manifest as contract  # noqa: E402  (beside this file)

import numpy as np  # noqa: E402
import torch  # noqa: E402

# Largest |onnxruntime - torch| allowed, relative to the largest |torch| value of each output.
# fp32: kernels differ (fused attention, conv algorithms) but stay close; fp16 runs compare an fp16
# graph against the same fp16 PyTorch model, where rounding alone reaches ~1e-3 per op.
TOLERANCE = {"fp32": 2e-3, "fp16": 3e-2}

# Prompts whose ids the exported tokenizer.json must reproduce exactly as the slow tokenizer does.
TOKENIZER_CHECKS = (
    "",
    "remove the bird on left",
    "Remove the dog and the girl",
    "REMOVE   the\tman in the red shirt!!",
    "erase 3 people, 12 cones and the logo's shadow",
    " ".join(["a very long description of the bird"] * 12),  # over 77 tokens: truncation
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", type=Path, required=True, help="LGVI checkpoint folder (unet/, vae/, text_encoder/, tokenizer/, scheduler/)")
    p.add_argument("--lgvi-repo", type=Path, required=True, help="clone of jianzongwu/Language-Driven-Video-Inpainting (for the rovi package)")
    p.add_argument("--out", type=Path, required=True, help="pack folder to create (must not exist)")
    p.add_argument("--precisions", default="fp32,fp16", help="comma list of fp32, fp16 (fp16 needs CUDA); default both")
    p.add_argument("--working", default="512x320x24", help="working size WIDTHxHEIGHTxFRAMES for the manifest and the trace (LGVI: 512x320x24; the parity fixture uses a small one)")
    p.add_argument("--opset", type=int, default=17, help="ONNX opset (17 or newer)")
    p.add_argument("--static-frames", action="store_true", help=f"fix T at {contract.WORKING['frames']} in the U-Net (automatic when its config uses cross-frame attention)")
    p.add_argument("--licence-name", required=True, help="licence of the checkpoint, as its model card states it")
    p.add_argument("--licence-url", help="where that licence is published")
    p.add_argument("--licence-file", type=Path, help="licence text to ship in the pack as LICENSE")
    p.add_argument("--source-url", default="https://huggingface.co/jianzongwu/lgvi")
    p.add_argument("--revision", help="checkpoint revision (e.g. the Hugging Face commit) for the manifest")
    p.add_argument("--pack-id", default="lgvi-referring")
    p.add_argument("--pack-name", default="LGVI (referring video inpainting)")
    p.add_argument("--pack-version", default="1.0.0")
    p.add_argument("--check-provider", default="auto", choices=("auto", "cuda", "cpu"), help="onnxruntime provider for the parity checks")
    p.add_argument("--text-length", default="77", choices=("77", "any"), help="the U-Net's text axis: 77 CLIP tokens (LGVI), or any length (the base of an LGVI-I pack, export_lgvi_i_pack.py)")
    p.add_argument("--text-encoder-from", type=Path, help="take text_encoder/ and tokenizer/ from this checkpoint instead (the LGVI-I checkpoint has none: its pipeline feeds the transfer head's output; the LGVI checkpoint's CLIP is SD 1.x's)")
    p.add_argument("--fuse-attention", choices=fuse.TARGETS, help="fuse the U-Net's attention with onnxruntime's transformer optimizer (fuse_attention.py): 'cpu' runs on every provider, 'cuda' adds CUDA-only kernels (needs --check-provider cuda)")
    args = p.parse_args(argv)
    contract.set_text_length(args.text_length == "any")
    args.precisions = [s.strip() for s in args.precisions.split(",") if s.strip()]
    for precision in args.precisions:
        if precision not in contract.PRECISIONS:
            p.error(f"unknown precision {precision!r} (use fp32, fp16)")
    args.precisions = [p_ for p_ in contract.PRECISIONS if p_ in args.precisions]  # fp32 first: a model is cast to fp16 after its fp32 export
    if "fp32" not in args.precisions:
        p.error("fp32 is required: the manifest's main entry of each model is the fp32 file, fp16 is its variant")
    try:
        width, height, frames = (int(v) for v in args.working.lower().split("x"))
        contract.set_working(width=width, height=height, frames=frames)
    except ValueError as e:
        p.error(f"--working {args.working!r}: {e}")
    if args.opset < 17:
        p.error("models/README.md asks for opset 17 or newer")
    return args


# ---------------------------------------------------------------------------------------------
# The four models, wrapped so their forward takes and returns exactly the contract's tensors.
# ---------------------------------------------------------------------------------------------


class TextEncoderForOnnx(torch.nn.Module):
    """CLIPTextModel -> last_hidden_state (after the final layer norm, what SD's cross-attention reads)."""

    def __init__(self, text_encoder: torch.nn.Module):
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.text_encoder(input_ids=input_ids, return_dict=True).last_hidden_state


class VaeEncoderForOnnx(torch.nn.Module):
    """AutoencoderKL.encode -> the latent distribution's mean and log-variance, not a sample, so
    Lacuna draws the noise itself (seeded). diffusers' DiagonalGaussianDistribution already clamps
    logvar to [-30, 20]."""

    def __init__(self, vae: torch.nn.Module):
        super().__init__()
        self.vae = vae

    def forward(self, image: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        dist = self.vae.encode(image).latent_dist
        return dist.mean, dist.logvar


class VaeDecoderForOnnx(torch.nn.Module):
    """AutoencoderKL.decode of unscaled latents -> image in about [-1, 1] (not clamped)."""

    def __init__(self, vae: torch.nn.Module):
        super().__init__()
        self.vae = vae

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        return self.vae.decode(latent).sample


class UNetForOnnx(torch.nn.Module):
    """RoviModel with the video condition as its own input (it goes through condition_conv_in and is
    added at conv_in inside RoviModel.forward), a float [B] timestep (RoviModel broadcasts it and
    computes the embedding in float32), and (noise_pred, mask) out."""

    def __init__(self, unet: torch.nn.Module):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states, img_condition):
        out = self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, img_condition=img_condition)
        return out.sample, out.mask


def make_unet_traceable(unet: torch.nn.Module) -> None:
    """The reference's BasicTransformerBlock switches its temporal attention to xformers on every
    forward with more than one frame; xformers kernels cannot be exported (and need CUDA). Give every
    diffusers Attention the plain processor (matmul + softmax, exportable) and make that switch a
    no-op on the temporal attentions. Numerically the same attention."""
    from diffusers.models.attention_processor import Attention, AttnProcessor

    for module in unet.modules():
        if isinstance(module, Attention):
            module.set_processor(AttnProcessor())
        attn_temp = getattr(module, "attn_temp", None)
        if attn_temp is not None:
            attn_temp.set_use_memory_efficient_attention_xformers = lambda *args, **kwargs: None


def load_models(args: argparse.Namespace):
    """The checkpoint's four models in float32, eval mode, on the CPU."""
    sys.path.insert(0, str(args.lgvi_repo.resolve()))
    try:
        from rovi.models.unet import RoviModel
    except ImportError as e:
        raise SystemExit(f"cannot import rovi.models.unet from {args.lgvi_repo} ({e}); pass a clone of jianzongwu/Language-Driven-Video-Inpainting")
    from diffusers import AutoencoderKL
    from transformers import CLIPTextModel

    ckpt = str(args.checkpoint)
    text_ckpt = str(getattr(args, "text_encoder_from", None) or args.checkpoint)
    unet = RoviModel.from_pretrained(ckpt, subfolder="unet")
    if unet.mask_decoder is None:
        raise SystemExit("the checkpoint's U-Net has no mask decoder (mask_decoder_type is not set); the pack contract needs its mask output")
    make_unet_traceable(unet)
    vae = AutoencoderKL.from_pretrained(ckpt, subfolder="vae")
    try:  # plain attention exports on every opset; newer transformers default to SDPA
        text_encoder = CLIPTextModel.from_pretrained(text_ckpt, subfolder="text_encoder", attn_implementation="eager")
    except TypeError:
        text_encoder = CLIPTextModel.from_pretrained(text_ckpt, subfolder="text_encoder")
    models = {
        "textEncoder": TextEncoderForOnnx(text_encoder),
        "vaeEncoder": VaeEncoderForOnnx(vae),
        # Its own copy: each model is cast to fp16 after its fp32 export, and the decoder's fp32
        # export must not start from weights the encoder's fp16 pass already rounded.
        "vaeDecoder": VaeDecoderForOnnx(copy.deepcopy(vae)),
        "unet": UNetForOnnx(unet),
    }
    for m in models.values():
        m.eval().requires_grad_(False)
    return models, unet


def frames_must_be_static(unet: torch.nn.Module) -> bool:
    """Cross-frame attention indexes frames with Python lists ([0] * video_length), which a trace
    turns into constants of the traced frame count. Asked of the modules that exist, not of the
    config: `ref_frame_type_2` is a config key that no module of the reference instantiates."""
    for module in unet.modules():
        kind = type(module).__name__
        if kind in ("CrossFrameAttention", "SpatialTemporalAttention"):
            return True
    return False


def scheduler_for_pack(config: dict) -> Tuple[dict, List[str]]:
    """The checkpoint's scheduler config as the reference pipeline runs it: RoviPipeline.__init__
    sets steps_offset=1 and clip_sample=False, but only where the scheduler class has that field
    (`hasattr(scheduler.config, ...)`); an Euler config gets no clip_sample. Returns the config and
    a note per change."""
    import diffusers

    config = dict(config)
    notes: List[str] = []
    cls = getattr(diffusers, str(config.get("_class_name")), None)
    fields = set(inspect.signature(cls.__init__).parameters) if cls is not None else set(config)
    if cls is None:
        notes.append(f"scheduler class {config.get('_class_name')!r} is not in this diffusers; fields kept as the file has them")
    for key, wanted, applies in (("steps_offset", 1, lambda v: v != 1), ("clip_sample", False, lambda v: v is True)):
        if key not in fields:
            continue
        current = config.get(key, inspect.signature(cls.__init__).parameters[key].default if cls is not None else None)
        if applies(current):
            notes.append(f"scheduler_config.json has {key}={current!r}; the pack uses {key}={wanted!r}, as the reference pipeline does")
            config[key] = wanted
    return config, notes


# ---------------------------------------------------------------------------------------------
# Example inputs: one set at the working size to trace, another of other sizes to check.
# ---------------------------------------------------------------------------------------------


def example_inputs(role: str, *, batch: int, frames: int, height: int, width: int, dtype, device, ids: torch.Tensor, text_tokens: int = contract.TEXT_TOKENS) -> Tuple[torch.Tensor, ...]:
    g = torch.Generator(device="cpu").manual_seed(1234 + batch * 100 + frames)
    h, w = height // contract.VAE_DOWNSAMPLE, width // contract.VAE_DOWNSAMPLE

    def randn(*shape):
        return torch.randn(*shape, generator=g).to(device=device, dtype=dtype)

    if role == "textEncoder":
        return (ids[:batch].to(device),)
    if role == "vaeEncoder":
        return (randn(batch, 3, height, width).clamp(-1, 1),)
    if role == "vaeDecoder":
        return (randn(batch, contract.LATENT_CHANNELS, h, w),)
    timestep = torch.linspace(999.0, 1.0, batch).to(device=device, dtype=torch.float32)
    return (
        randn(batch, contract.LATENT_CHANNELS, frames, h, w),
        timestep,
        randn(batch, text_tokens, contract.TEXT_WIDTH),
        randn(batch, contract.LATENT_CHANNELS, frames, h, w) * 0.18215,
    )


def trace_shape(static_frames: bool) -> dict:
    """Batch 2 (a batch of 1 lets a trace mistake broadcasting for a fixed dim) at the working image
    size. Three frames unless T is fixed: the plain attention processor materialises every
    attention matrix, which at 2 x 24 frames of 64 x 40 latents would take tens of GB."""
    return {
        "batch": 2,
        "frames": contract.WORKING["frames"] if static_frames else 3,
        "height": contract.WORKING["height"],
        "width": contract.WORKING["width"],
    }


def check_shape(role: str, static_frames: bool) -> dict:
    """Another batch, frame count and size than the trace, small enough for onnxruntime on a CPU.
    256 x 384 keeps the latents (32 x 48) multiples of 8: RoviModel forwards explicit upsample sizes
    only for other sizes, a Python branch that the trace fixed."""
    shape = {
        "batch": 3 if role == "textEncoder" else 1,
        "frames": contract.WORKING["frames"] if static_frames else 4,
        "height": 256,
        "width": 384,
    }
    if role == "unet" and contract.unet_text_length() == "L":
        shape["text_tokens"] = 13  # another text length than the trace's 77
    return shape


# ---------------------------------------------------------------------------------------------
# Export, re-save, check.
# ---------------------------------------------------------------------------------------------


def torch_onnx_export(module, inputs, path: Path, role: str, static_frames: bool, opset: int) -> None:
    spec_in, spec_out = contract.tensor_specs(role, "fp32", static_frames)
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: dynamic_axes as models/README.md lists them
    with torch.no_grad():
        torch.onnx.export(
            module,
            inputs,
            str(path),
            input_names=[s["name"] for s in spec_in],
            output_names=[s["name"] for s in spec_out],
            dynamic_axes=contract.dynamic_axes(role, static_frames),
            opset_version=opset,
            do_constant_folding=True,
            **kwargs,
        )


def resave(raw_path: Path, final_path: Path, external: bool) -> List[str]:
    """Loads the exporter's output (which may be scattered over one file per weight) and writes it
    as one .onnx, plus one .onnx.data beside it for models over protobuf's 2 GB limit. Returns the
    data file names."""
    import onnx

    model = onnx.load(str(raw_path))  # pulls in external data from raw_path's folder
    if not external:
        onnx.save_model(model, str(final_path))
        return []
    data_name = final_path.name + ".data"
    onnx.save_model(model, str(final_path), save_as_external_data=True, all_tensors_to_one_file=True, location=data_name, size_threshold=1024)
    return [data_name]


def ort_session(path: Path, provider: str):
    import onnxruntime as ort

    available = ort.get_available_providers()
    if provider == "auto":
        provider = "cuda" if "CUDAExecutionProvider" in available else "cpu"
    if provider == "cuda":
        if "CUDAExecutionProvider" not in available:
            raise SystemExit("--check-provider cuda: this onnxruntime has no CUDAExecutionProvider (install onnxruntime-gpu)")
        providers = ["CUDAExecutionProvider"]
    else:
        providers = ["CPUExecutionProvider"]
    return ort.InferenceSession(str(path), providers=providers), providers[0]


def parity_check(module, role: str, precision: str, static_frames: bool, path: Path, inputs: Tuple[torch.Tensor, ...], provider: str) -> str:
    """Runs the ONNX file and the PyTorch module on the same inputs; fails over TOLERANCE."""
    spec_in, spec_out = contract.tensor_specs(role, precision, static_frames)
    session, used = ort_session(path, provider)
    feeds = {s["name"]: x.detach().cpu().numpy() for s, x in zip(spec_in, inputs)}
    try:
        got = session.run([s["name"] for s in spec_out], feeds)
    except Exception as e:  # onnxruntime raises its own exception types
        hints = []
        if precision == "fp16" and used == "CPUExecutionProvider":
            hints.append("half-precision graphs may need onnxruntime-gpu: --check-provider cuda")
        if role == "unet" and not static_frames:
            hints.append("a frame count frozen by the trace fails this way at other frame counts: try --static-frames")
        hint = f" ({'; '.join(hints)})" if hints else ""
        raise SystemExit(f"{path.name}: onnxruntime could not run it on {used} at {[list(x.shape) for x in inputs]}: {e}{hint}")
    with torch.no_grad():
        want = module(*inputs)
    want = want if isinstance(want, tuple) else (want,)
    lines = []
    for spec, g, w in zip(spec_out, got, want):
        w = w.detach().float().cpu().numpy()
        g = np.asarray(g, dtype=np.float32)
        if g.shape != w.shape:
            raise SystemExit(f"{path.name}: {spec['name']} has shape {g.shape} from onnxruntime but {w.shape} from PyTorch")
        for side, values in (("onnxruntime", g), ("PyTorch", w)):
            if not np.isfinite(values).all():
                raise SystemExit(f"{path.name}: {spec['name']} has non-finite values from {side} ({int((~np.isfinite(values)).sum())} of {values.size})")
        rel = relative_difference(g, w)
        lines.append(f"{spec['name']} {list(g.shape)} max rel diff {rel:.2e}")
        # `not rel <= tol` rather than `rel > tol`: a NaN that slipped through fails too.
        if not rel <= TOLERANCE[precision]:
            raise SystemExit(f"{path.name}: {spec['name']} differs from PyTorch by {rel:.2e} (relative), over {TOLERANCE[precision]:.0e}")
    del session
    return f"{path.name} on {used}: " + "; ".join(lines)


def relative_difference(got: np.ndarray, want: np.ndarray) -> float:
    """Largest |got - want| over the largest |want| (NaN when either holds a NaN)."""
    scale = max(float(np.abs(want).max()), 1e-6)
    return float(np.abs(got.astype(np.float64) - want.astype(np.float64)).max()) / scale


def export_tokenizer(tokenizer_dir: Path, out_path: Path) -> Tuple[int, int, torch.Tensor, str]:
    """The checkpoint's tokenizer as a Hugging Face tokenizer.json, built in Python from its
    vocab.json and merges.txt (clip_tokenizer_json.py: no Rust `tokenizers` needed), with padding
    and truncation to 77 written in (pad token from the checkpoint, as SD's CLIPTokenizer pads).
    The slow CLIPTokenizer the reference pipeline calls gives the ids; where the `tokenizers`
    package is installed, the written file is run through it and must give the same ids (Lacuna's
    own tokenizer is held to the slow one by test/lgvi/parity). Returns (pad_id, end_id, ids of
    three example prompts for tracing and checking the text encoder, what was checked)."""
    from transformers import CLIPTokenizer

    slow = CLIPTokenizer.from_pretrained(str(tokenizer_dir))
    if slow.model_max_length != contract.TEXT_TOKENS:
        raise SystemExit(f"the checkpoint's tokenizer has model_max_length {slow.model_max_length}, the pack contract needs {contract.TEXT_TOKENS}")
    vocab, merges = clip_tokenizer_json.read_checkpoint_tokenizer(tokenizer_dir)
    contract.write_json_atomic(out_path, clip_tokenizer_json.tokenizer_json(vocab, merges, slow.pad_token_id))

    def slow_ids(prompt: str) -> List[int]:
        return list(slow(prompt, padding="max_length", max_length=contract.TEXT_TOKENS, truncation=True).input_ids)

    try:
        from tokenizers import Tokenizer
    except ImportError:
        checked = f"not run through the Rust tokenizers package (not installed); {len(TOKENIZER_CHECKS)} prompts' ids from the slow CLIPTokenizer"
    else:
        backend = Tokenizer.from_file(str(out_path))
        for prompt in TOKENIZER_CHECKS:
            want, got = slow_ids(prompt), backend.encode(prompt).ids
            if want != list(got):
                raise SystemExit(f"tokenizer.json disagrees with the slow CLIPTokenizer on {prompt!r}:\n  {got}\n  {want}")
        checked = f"matches the slow CLIPTokenizer on {len(TOKENIZER_CHECKS)} prompts (through the tokenizers package)"
    ids = torch.tensor([slow_ids(p) for p in ("remove the bird on left", "", "remove the dog and the girl")], dtype=torch.int64)
    return slow.pad_token_id, slow.eos_token_id, ids, checked


def tool_versions() -> str:
    names = ("torch", "diffusers", "transformers", "onnx", "onnxruntime", "onnxruntime-gpu")
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def free_gpu() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


@dataclasses.dataclass
class ExportedPack:
    manifest: dict
    report: List[str]
    ids: torch.Tensor


def export_models(
    models: Dict[str, torch.nn.Module],
    *,
    static_frames: bool,
    precisions: Sequence[str],
    opset: int,
    ids: torch.Tensor,
    partial: Path,
    check_provider: str,
    device: torch.device,
    fuse_attention: str | None = None,
) -> Tuple[Dict[str, Dict[str, dict]], List[str]]:
    """Exports, re-saves and checks every model into `partial`; returns the variants for the
    manifest and the report lines."""
    report: List[str] = []
    variants: Dict[str, Dict[str, dict]] = {}
    for role, module in models.items():
        variants[role] = {}
        for precision in precisions:
            dtype = torch.float16 if precision == "fp16" else torch.float32
            module.to(device=device, dtype=dtype)
            name = contract.model_file_name(role, precision)
            with tempfile.TemporaryDirectory(prefix=f"lgvi-{role}-") as raw_dir:
                raw = Path(raw_dir) / name
                torch_onnx_export(module, example_inputs(role, dtype=dtype, device=device, ids=ids, **trace_shape(static_frames)), raw, role, static_frames, opset)
                free_gpu()
                data = resave(raw, partial / name, external=(role == "unet"))
            if role == "unet" and fuse_attention:
                # The fused graph replaces the plain one before the checks, so they check what ships.
                with tempfile.TemporaryDirectory(prefix="lgvi-fuse-") as fused_dir:
                    fused = Path(fused_dir) / name
                    stats = fuse.fuse_unet_attention(partial / name, fused, fuse_attention)
                    for d in data:
                        (partial / d).unlink()
                    shutil.move(str(fused), partial / name)
                    shutil.move(str(fused.with_name(name + ".data")), partial / (name + ".data"))
                    (partial / (name + ".data")).chmod(0o644)  # the optimizer writes it 0600
                    data = [name + ".data"]
                report.append(f"{name}: attention fused for {fuse_attention} ({stats})")
            spec_in, spec_out = contract.tensor_specs(role, precision, static_frames)
            problems = contract.check_onnx_signature(partial / name, spec_in, spec_out)
            if problems:
                raise SystemExit("the exported model does not match the pack contract:\n  " + "\n  ".join(problems))
            check_inputs = example_inputs(role, dtype=dtype, device=device, ids=ids, **check_shape(role, static_frames))
            report.append(parity_check(module, role, precision, static_frames, partial / name, check_inputs, check_provider))
            print(report[-1], flush=True)
            variants[role][precision] = {"path": name, "data": data}
            free_gpu()
        module.to("cpu")
        free_gpu()
    return variants, report


def export_pack(
    *,
    models: Dict[str, torch.nn.Module],
    unet: torch.nn.Module,
    tokenizer_dir: Path,
    scheduler_config: dict,
    out: Path,
    precisions: Sequence[str],
    opset: int = 17,
    static_frames: bool = False,
    check_provider: str = "auto",
    pack_id: str = "lgvi-referring",
    pack_name: str = "LGVI (referring video inpainting)",
    pack_version: str = "1.0.0",
    description: str = "Language-driven video inpainting (LGVI, CVPR 2024) for Lacuna: CLIP text encoder, SD 1.x VAE, LGVI video U-Net with mask head.",
    licence: dict,
    source_url: str,
    revision: str | None = None,
    extra_notes: str = "",
    fuse_attention: str | None = None,
) -> ExportedPack:
    """The whole pack from models already built (the checkpoint's, or the parity fixture's tiny
    random ones): tokenizer.json, every ONNX file checked, manifest.json; assembled in
    `<out>.partial` and renamed to `out` only when everything passed."""
    out = out.resolve()
    if out.exists():
        raise SystemExit(f"{out} already exists; choose a new folder (the exporter never overwrites a pack)")
    if "fp16" in precisions and not torch.cuda.is_available():
        raise SystemExit("fp16 export needs a CUDA GPU (PyTorch has no half-precision convolutions on the CPU); use --precisions fp32")
    if fuse_attention == "cuda" and check_provider != "cuda":
        raise SystemExit("--fuse-attention cuda writes CUDA-only kernels, which the CPU cannot check: add --check-provider cuda (or fuse for cpu)")
    scheduler, scheduler_notes = scheduler_for_pack(scheduler_config)
    for note in scheduler_notes:
        print(f"note: {note}", file=sys.stderr)

    # Deterministic fp32 numbers for the parity checks (TF32 would blur them on Ampere and newer).
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        raise SystemExit(f"{partial} exists (an interrupted export?); delete it, then run again")
    partial.mkdir(parents=True)
    report: List[str] = []

    pad_id, end_id, ids, checked = export_tokenizer(tokenizer_dir, partial / "tokenizer.json")
    report.append(f"tokenizer.json: pad id {pad_id}, end id {end_id}; {checked}")

    static_frames = static_frames or frames_must_be_static(unet)
    if static_frames:
        report.append(f"U-Net frames fixed at {contract.WORKING['frames']} (cross-frame attention or --static-frames)")
    variants, lines = export_models(models, static_frames=static_frames, precisions=precisions, opset=opset, ids=ids, partial=partial, check_provider=check_provider, device=device, fuse_attention=fuse_attention)
    report += lines

    if licence.get("file"):
        shutil.copyfile(licence["file"], partial / "LICENSE")
        licence = {**licence, "file": "LICENSE"}
    traced = "fp32 and fp16 files each traced from the model in that precision (fp16 on CUDA)" if "fp16" in precisions else "fp32 only"
    source = {
        "url": source_url,
        "paper": "Wu et al., Towards Language-Driven Video Inpainting via Multimodal Large Language Models, CVPR 2024 (arXiv:2401.10226)",
        "notes": f"Exported by Lacuna models/export/export_lgvi_pack.py with {tool_versions()}; opset {opset}; "
        f"U-Net frames {'fixed' if static_frames else 'dynamic'}; {traced}; timestep float32."
        + (f" U-Net attention fused by onnxruntime.transformers.optimizer (model_type unet, target {fuse_attention})." if fuse_attention else "")
        + (f" Scheduler: {'; '.join(scheduler_notes)}." if scheduler_notes else "")
        + (f" {extra_notes}" if extra_notes else ""),
    }
    if revision:
        source["revision"] = revision
    manifest = contract.build_manifest(
        partial,
        pack_id=pack_id,
        name=pack_name,
        version=pack_version,
        description=description,
        source=source,
        licence=licence,
        scheduler=scheduler,
        models=variants,
        tokenizer_path="tokenizer.json",
        static_frames=static_frames,
    )
    problems = contract.schema_problems(manifest)
    if problems:
        raise SystemExit("manifest.json does not match models/manifest.schema.json:\n  " + "\n  ".join(problems))
    if problems is None:
        report.append("manifest.json not checked against manifest.schema.json (pip install jsonschema to check)")
    contract.write_json_atomic(partial / contract.MANIFEST_FILE, manifest)
    partial.rename(out)
    return ExportedPack(manifest=manifest, report=report, ids=ids)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scheduler_file = args.checkpoint / "scheduler" / "scheduler_config.json"
    scheduler = json.loads(scheduler_file.read_text(encoding="utf-8"))
    models, unet = load_models(args)
    licence = {"name": args.licence_name}
    if args.licence_url:
        licence["url"] = args.licence_url
    if args.licence_file:
        licence["file"] = str(args.licence_file)
    exported = export_pack(
        models=models,
        unet=unet,
        tokenizer_dir=(args.text_encoder_from or args.checkpoint) / "tokenizer",
        scheduler_config=scheduler,
        out=args.out,
        precisions=args.precisions,
        opset=args.opset,
        static_frames=args.static_frames,
        check_provider=args.check_provider,
        pack_id=args.pack_id,
        pack_name=args.pack_name,
        pack_version=args.pack_version,
        licence=licence,
        source_url=args.source_url,
        revision=args.revision,
        fuse_attention=args.fuse_attention,
    )
    print("\n".join(["", f"pack written to {args.out.resolve()}", *exported.report, "", f"next: lacuna models verify {args.out.resolve()}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
