#!/usr/bin/env python3
"""Make the LGVI reference-parity fixture (test/fixtures/lgvi-parity/): a tiny randomly initialised
model built from the authors' own classes, exported by this folder's exporter, and the authors'
pipeline run on it with every intermediate recorded, so Lacuna's pack loader and sampler can be held
to the reference in CI without the reference, torch or the weights.

What it builds (seeded, CPU, fp32, about a minute):
- `RoviModel` (rovi/models/unet.py) with SD 1.x's block layout (3 cross-attention down blocks and a
  plain one, mirrored up), widths 32/32/32/32 in 8 GroupNorm groups, cross-attention width 768,
  temporal attention, and the authors' `MaskDecoder` (reduced_channel 128 instead of its 512, which
  would be 50 MB of random weights; `get_mask_decoder` has no width argument, so the decoder is built
  with the class itself). Both widths are chosen so no GroupNorm normalises only 2 or 3 values,
  which magnifies float32 rounding past the test's 1e-5 (see NORM_GROUPS, MASK_CHANNELS);
- a tiny diffusers `AutoencoderKL` (4 levels of 32 channels: the SD VAE's 8x downsampling);
- a 2-layer `CLIPTextModel` of width 768 on CLIP's real vocabulary (the tokenizer from OpenAI's
  merges in ../shared/data/clip). Its ONNX file is not committed (the token embedding alone is
  150 MB): the fixture records the prompt's and the empty prompt's embeddings instead.
Random weights are rescaled so the U-Net's noise prediction has unit spread, the mask head's
logits are not saturated and the VAE decodes into about [-1, 1]; the zero-initialised
condition_conv_in is given random weights so the video condition matters.

Then, for each scheduler (DDIM, Euler ancestral as InstructPix2Pix ships it, PNDM as SD 1.5 ships
it, LMS), 3 frames of ../shared/fixtures/two-birds at 128 x 64, 4 steps, guidance 3.0 / 1.5:
- frames loaded as inference_referring.load_video does (PIL `resize(BILINEAR)`, uint8, /255,
  *2-1; fp32 on the CPU where the reference casts to fp16 on CUDA);
- condition = vae.encode(frames).latent_dist.sample() * 0.18215, the VAE noise recorded;
- RoviPipeline.__call__ with the initial latents passed in (drawn with torch.randn as
  prepare_latents would) and diffusers' randn_tensor recorded for ancestral noise; the U-Net's
  mask recorded on every call (the pipeline drops it); per-step latents through `callback`;
- the decoded clip (the pipeline's output, [0, 1]) and the VAE reconstruction of the source.
Plus PIL resizes of real and generated frames at other sizes (the resize test's reference).

The reference's BasicTransformerBlock turns on xformers for its temporal attention on every call;
xformers is not installed here (and is CUDA-only), so the plain attention processor the exporter
uses is kept for the reference run too (the same attention, computed without the memory trick).

Run (outside the repo, nothing fetched is committed). Last run (issue 13) with torch 2.13.0+cpu,
onnx 1.23.1, onnxruntime 1.30.0, numpy, pillow, einops, scipy from the local index, and on PYTHONPATH:
transformers 4.57.6 with tokenizers 0.22.2 (5.x dropped FLAX_WEIGHTS_NAME, which diffusers 0.29
imports), huggingface_hub 0.36.2's source (transformers 4.57 refuses hub 1.x), requests and
importlib_metadata (diffusers 0.29 asks for them), diffusers' tag v0.29.2 `src/`:
    git clone https://github.com/jianzongwu/Language-Driven-Video-Inpainting /tmp/lgvi-src   # 72a51c8
    git -C diffusers archive v0.29.2 src/diffusers | tar -x -C /tmp/diffusers-0.29.2
    PYTHONPATH=/tmp/hub-0.36.2:/tmp/transformers-4.57.6:/tmp/diffusers-0.29.2/src:/tmp/lgvi-src:/tmp/extra \\
        python models/export/make_parity_fixture.py --lgvi-repo /tmp/lgvi-src --out /tmp/lgvi-parity
    rm -rf test/fixtures/lgvi-parity/*.onnx* && cp /tmp/lgvi-parity/* test/fixtures/lgvi-parity/
(about 3 minutes on 2 shared cores).
The fixture is made once and committed; rerunning writes the same numbers (seeded) but new
ONNX bytes may differ with another torch/onnx version, which is fine: the test reads the manifest.
"""
from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import clip_tokenizer_json  # noqa: E402
import export_lgvi_pack as exporter  # noqa: E402
import lgvi_pack_manifest as contract  # noqa: E402

WIDTH, HEIGHT, FRAMES, STEPS = 128, 64, 3, 4
# The mask head's width: its temporal GroupNorm(32) normalises (width/32) channels x FRAMES values per
# group; at 32 that is 3 values, whose spread is so small that float rounding differences between
# onnxruntime's and PyTorch's kernels were magnified to 7e-5. 128 gives groups of 12 (the real head: 16 x 24).
MASK_CHANNELS = 128
# The U-Net's GroupNorm groups. SD's 32 groups over 320..1280 channels hold 10..40 channels each; at
# this fixture's width 32 they would hold one, and at its bottom level (latents 16 x 8 -> 2 x 1) the
# mid-block transformer's GroupNorm then normalised 2 values per group: PyTorch's own fp32 output of
# that one op was 1.9e-5 from fp64 (every other op under 1e-6), and that set the whole run's error.
# 8 groups of 4 channels: 8 values there, 24 in the resnets; every op's fp32 error under 1e-6.
NORM_GROUPS = 8
GUIDANCE, IMAGE_GUIDANCE = 3.0, 1.5
SEED = 2024
PROMPT = "remove the bird on the left"
TOKENIZER_PROMPTS = [PROMPT, "", "Remove the dog and the girl", "REMOVE   the\tman in the red shirt!!", "erase 3 people, 12 cones and the logo's shadow", " ".join(["a very long description of the bird"] * 12)]
BETAS = {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon"}
SCHEDULERS = {
    # A checkpoint in SD 1.x's DDIM form.
    "ddim": {"_class_name": "DDIMScheduler", **BETAS, "steps_offset": 1, "clip_sample": False, "set_alpha_to_one": False, "timestep_spacing": "leading"},
    # timbrooks/instruct-pix2pix's scheduler_config.json (MagicBrush's base).
    "euler_ancestral": {"_class_name": "EulerAncestralDiscreteScheduler", **BETAS, "steps_offset": 1, "trained_betas": None},
    # runwayml/stable-diffusion-v1-5's scheduler_config.json.
    "pndm": {"_class_name": "PNDMScheduler", **BETAS, "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "trained_betas": None, "clip_sample": False},
    "lms": {"_class_name": "LMSDiscreteScheduler", **BETAS, "steps_offset": 1, "trained_betas": None},
}


class Recorder:
    """Tensors by name, written as one gzip'd little-endian blob plus a JSON index."""

    def __init__(self) -> None:
        self.index: Dict[str, dict] = {}
        self.parts: List[bytes] = []
        self.offset = 0

    def add(self, name: str, value) -> None:
        a = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
        if a.dtype == np.uint8:
            dtype = "uint8"
        elif np.issubdtype(a.dtype, np.integer):
            a, dtype = a.astype("<i4"), "int32"
        else:
            a, dtype = a.astype("<f4"), "float32"
        data = np.ascontiguousarray(a).tobytes()
        if name in self.index:
            raise ValueError(f"{name} recorded twice")
        self.index[name] = {"dtype": dtype, "shape": list(a.shape), "offset": self.offset, "bytes": len(data)}
        self.parts.append(data)
        self.offset += len(data)

    def write(self, folder: Path) -> None:
        with gzip.GzipFile(folder / "tensors.bin.gz", "wb", compresslevel=9, mtime=0) as f:
            for part in self.parts:
                f.write(part)


def seeded_init(module: torch.nn.Module, generator: torch.Generator, std: float = 0.02) -> None:
    """Every weight drawn anew (norm layers keep weight 1, bias 0): also the zero-initialised ones."""
    for name, p in module.named_parameters():
        if "norm" in name:
            continue
        fan_in = p[0].numel() if p.dim() > 1 else 1
        scale = 1.0 / np.sqrt(fan_in) if p.dim() > 1 else std
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=generator) * scale)


def build_models(lgvi_repo: Path, tmp: Path):
    sys.path.insert(0, str(lgvi_repo.resolve()))
    from diffusers import AutoencoderKL
    from rovi.models.mask_decoder import MaskDecoder
    from rovi.models.unet import RoviModel
    from transformers import CLIPTextConfig, CLIPTextModel

    g = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    widths = (32, 32, 32, 32)
    unet = RoviModel(
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock3D", "CrossAttnDownBlock3D", "CrossAttnDownBlock3D", "DownBlock3D"),
        up_block_types=("UpBlock3D", "CrossAttnUpBlock3D", "CrossAttnUpBlock3D", "CrossAttnUpBlock3D"),
        block_out_channels=widths,
        layers_per_block=1,
        cross_attention_dim=contract.TEXT_WIDTH,
        attention_head_dim=8,
        norm_num_groups=NORM_GROUPS,
        temp_attn=True,
        mask_decoder_type="MaskDecoder",
    )
    unet.mask_decoder = MaskDecoder(in_channels=list(reversed(widths))[1:], reduced_channel=MASK_CHANNELS)
    seeded_init(unet, g)
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        block_out_channels=(32, 32, 32, 32),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=32,
        sample_size=WIDTH,
    )
    seeded_init(vae, g)
    text_config = CLIPTextConfig(vocab_size=49408, hidden_size=contract.TEXT_WIDTH, intermediate_size=256, num_hidden_layers=2, num_attention_heads=12, max_position_embeddings=77, pad_token_id=49407, bos_token_id=49406, eos_token_id=49407)
    text_config._attn_implementation = "eager"
    text_encoder = CLIPTextModel(text_config)
    seeded_init(text_encoder, g)
    for m in (unet, vae, text_encoder):
        m.eval().requires_grad_(False)
    exporter.make_unet_traceable(unet)
    calibrate(unet, vae, g)
    return unet, vae, text_encoder


@torch.no_grad()
def calibrate(unet, vae, g: torch.Generator) -> None:
    """Rescale output layers so the random networks produce values in the ranges real ones do."""
    h, w = HEIGHT // 8, WIDTH // 8
    image = torch.rand(FRAMES, 3, HEIGHT, WIDTH, generator=g) * 2 - 1
    dist = vae.encode(image).latent_dist
    # mean about unit spread, log-variance about -4 (std 0.14): a real VAE's posterior is narrow.
    qc = vae.quant_conv
    s = dist.mean.std().item()
    qc.weight[:4] /= s
    qc.bias[:4] /= s
    qc.weight[4:] *= 0.1
    qc.bias[4:] = -4.0
    latents = vae.encode(image).latent_dist.mean
    out = vae.decode(latents).sample
    vae.decoder.conv_out.weight.mul_(0.6 / out.std().item())
    vae.decoder.conv_out.bias.zero_()
    sample = torch.randn(1, 4, FRAMES, h, w, generator=g)
    text = torch.randn(1, 77, contract.TEXT_WIDTH, generator=g)
    cond = torch.randn(1, 4, FRAMES, h, w, generator=g) * 0.18215
    res = unet(sample, torch.tensor([500.0]), encoder_hidden_states=text, img_condition=cond)
    unet.conv_out.weight.mul_(1.0 / res.sample.std().item())
    unet.conv_out.bias.zero_()
    # The mask head's logits: spread 2 around 0, so the sigmoid is neither flat nor saturated.
    fc = unet.mask_decoder.final_conv
    logits = torch.logit(res.mask.clamp(1e-6, 1 - 1e-6))
    fc.weight.mul_(2.0 / max(logits.std().item(), 1e-6))
    fc.bias.sub_(fc.bias)


def load_video_like_reference(frame_files: List[Path], rec: Recorder) -> torch.Tensor:
    """inference_referring.load_video, in fp32 on the CPU (the reference: fp16 on CUDA)."""
    frames, sources = [], []
    for f in frame_files:
        image = Image.open(f).convert("RGB")
        sources.append(np.asarray(image))
        image = image.resize((WIDTH, HEIGHT), resample=Image.BILINEAR)
        frames.append(np.asarray(image))
    rec.add("source_rgb", np.stack(sources))  # [T, H0, W0, 3] uint8, PIL's JPEG decode
    rec.add("working_rgb", np.stack(frames))  # [T, H, W, 3] uint8
    x = torch.from_numpy(np.stack(frames, axis=2)).permute(2, 3, 0, 1).contiguous().unsqueeze(0)
    return x.float().div(255).clamp(0, 1) * 2.0 - 1.0  # [1, T, 3, H, W]


def texture(width: int, height: int, kind: str) -> np.ndarray:
    """Generated frames the TypeScript test makes the same way (integer formulas, no RNG)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    if kind == "fine":  # high-frequency texture: what a non-antialiased resize aliases worst
        r = (x * 7 + y * 13 + ((x * y) >> 3)) & 255
        gch = (x * x + y * 3) & 255
        b = ((x ^ y) * 5) & 255
    else:  # smooth gradients
        r = (x * 255) // max(width - 1, 1)
        gch = (y * 255) // max(height - 1, 1)
        b = ((x + y) * 255) // max(width + height - 2, 1)
    return np.stack([r, gch, b], axis=-1).astype(np.uint8)


def record_resizes(rec: Recorder, record: dict, source: np.ndarray) -> None:
    cases = [
        ("two_birds_512x320", source, 512, 320),
        ("fine_1920x1080_to_512x320", texture(1920, 1080, "fine"), 512, 320),
        ("smooth_1920x1080_to_256x160", texture(1920, 1080, "smooth"), 256, 160),
        ("fine_200x120_to_512x320", texture(200, 120, "fine"), 512, 320),  # upscaling
        ("fine_700x300_to_512x320", texture(700, 300, "fine"), 512, 320),  # one axis each way
    ]
    record["resizes"] = []
    for name, image, w, h in cases:
        out = np.asarray(Image.fromarray(image).resize((w, h), resample=Image.BILINEAR))
        rec.add(f"resize/{name}", out)
        generated = name.split("_")[0] in ("fine", "smooth")
        record["resizes"].append({"name": name, "source": "source_rgb[0]" if not generated else {"texture": name.split("_")[0], "width": image.shape[1], "height": image.shape[0]}, "width": w, "height": h})


def patch_randn(recorded: List[torch.Tensor]):
    """diffusers' randn_tensor, recording what it returns (VAE sample noise, ancestral noise)."""
    from diffusers.utils import torch_utils

    original = torch_utils.randn_tensor

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        recorded.append(out.detach().clone())
        return out

    modules = ["diffusers.models.autoencoders.vae", "diffusers.schedulers.scheduling_euler_ancestral_discrete", "diffusers.schedulers.scheduling_ddim"]
    for name in modules:
        importlib.import_module(name).randn_tensor = recording


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lgvi-repo", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--frames", type=Path, default=HERE.parent.parent / ".." / "shared" / "fixtures" / "two-birds")
    p.add_argument("--clip-merges", type=Path, default=HERE.parent.parent / ".." / "shared" / "data" / "clip" / "bpe_simple_vocab_16e6.txt.gz")
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    import diffusers
    from diffusers import DDIMScheduler, EulerAncestralDiscreteScheduler, LMSDiscreteScheduler, PNDMScheduler  # noqa: F401
    from transformers import CLIPTokenizer

    sys.path.insert(0, str(args.lgvi_repo.resolve()))
    from rovi.pipelines.pipeline_rovi import RoviPipeline

    out = args.out.resolve()
    if out.exists():
        raise SystemExit(f"{out} exists; remove it first")
    tmp = Path(tempfile.mkdtemp(prefix="lgvi-parity-"))
    try:
        rec = Recorder()
        record: dict = {
            "made_by": "models/export/make_parity_fixture.py",
            "versions": exporter.tool_versions(),
            "reference": "jianzongwu/Language-Driven-Video-Inpainting 72a51c8 (rovi), diffusers " + diffusers.__version__,
            "working": {"width": WIDTH, "height": HEIGHT, "frames": FRAMES},
            "latentScale": 0.18215,
            "guidance": {"text": GUIDANCE, "image": IMAGE_GUIDANCE},
            "prompt": PROMPT,
            "seed": SEED,
        }
        vocab, merges = clip_tokenizer_json.clip_vocab_from_openai_merges(args.clip_merges)
        tok_dir = tmp / "tokenizer"
        clip_tokenizer_json.write_checkpoint_tokenizer(tok_dir, vocab, merges)
        tokenizer = CLIPTokenizer.from_pretrained(str(tok_dir))
        record["tokenizer"] = []
        for i, prompt in enumerate(TOKENIZER_PROMPTS):
            ids = tokenizer(prompt, padding="max_length", max_length=77, truncation=True).input_ids
            rec.add(f"ids/{i}", np.array(ids))
            record["tokenizer"].append({"prompt": prompt, "ids": f"ids/{i}"})

        unet, vae, text_encoder = build_models(args.lgvi_repo, tmp)
        contract.set_working(width=WIDTH, height=HEIGHT, frames=FRAMES)
        pack_dir = tmp / "pack"
        exported = exporter.export_pack(
            models={
                "textEncoder": exporter.TextEncoderForOnnx(text_encoder),
                "vaeEncoder": exporter.VaeEncoderForOnnx(vae),
                "vaeDecoder": exporter.VaeDecoderForOnnx(vae),
                "unet": exporter.UNetForOnnx(unet),
            },
            unet=unet,
            tokenizer_dir=tok_dir,
            scheduler_config=SCHEDULERS["pndm"],
            out=pack_dir,
            precisions=["fp32"],
            check_provider="cpu",
            pack_id="lgvi-parity-tiny",
            pack_name="LGVI parity fixture (tiny random weights)",
            pack_version="0.0.1",
            description="Tiny randomly initialised LGVI (authors' RoviModel, MaskDecoder; diffusers AutoencoderKL; 2-layer CLIPTextModel) for reference-parity tests. Produces nothing meaningful.",
            licence={"name": "Apache-2.0 (Lacuna test fixture; random weights)"},
            source_url="https://github.com/jianzongwu/Language-Driven-Video-Inpainting",
            extra_notes="Random weights made by models/export/make_parity_fixture.py; the text encoder file is not committed (the fixture records its outputs).",
        )
        record["export_report"] = exported.report
        for line in exported.report:
            print(line)

        with torch.no_grad():
            ids = tokenizer([PROMPT, ""], padding="max_length", max_length=77, truncation=True, return_tensors="pt").input_ids
            embeddings = text_encoder(ids)[0]
        rec.add("text/prompt", embeddings[0])
        rec.add("text/empty", embeddings[1])

        frame_files = sorted(args.frames.iterdir())[:FRAMES]
        record["frames"] = [f.name for f in frame_files]
        pixel_values = load_video_like_reference(frame_files, rec)
        record_resizes(rec, record, rec_source(frame_files[0]))

        noise: List[torch.Tensor] = []
        patch_randn(noise)
        from einops import rearrange

        with torch.no_grad():
            px = rearrange(pixel_values, "b f c h w -> (b f) c h w")
            rec.add("working_image", px)  # [T, 3, H, W] in [-1, 1]
            torch.manual_seed(SEED)
            dist = vae.encode(px).latent_dist
            rec.add("vae/mean", dist.mean)
            rec.add("vae/logvar", dist.logvar)
            condition = dist.sample()
            rec.add("vae/noise", noise.pop())
            condition = rearrange(condition, "(b f) c h w -> b c f h w", f=FRAMES) * 0.18215
            rec.add("condition", condition[0])
            # The VAE's own reconstruction of the source (what the difference composite compares with).
            recon = vae.decode(rearrange(condition, "b c f h w -> (b f) c h w") / 0.18215).sample
            rec.add("reconstruction", (recon / 2 + 0.5).clamp(0, 1))

        record["runs"] = []
        for name, config in SCHEDULERS.items():
            cls = getattr(diffusers, config["_class_name"])
            scheduler = cls.from_config({k: v for k, v in config.items() if k != "_class_name"})
            pipe = RoviPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=scheduler)
            pipe.set_progress_bar_config(disable=True)
            generator = torch.Generator().manual_seed(SEED + 1)
            initial = torch.randn((1, 4, FRAMES, HEIGHT // 8, WIDTH // 8), generator=generator)
            masks: List[torch.Tensor] = []
            steps: List[torch.Tensor] = []
            forward = unet.forward

            def recording_forward(*a, **k):
                res = forward(*a, **k)
                masks.append(res.mask.detach().clone())
                return res

            step = pipe.scheduler.step

            def recording_step(*a, **k):
                res = step(*a, **k)
                steps.append(res.prev_sample.detach().clone())
                return res

            # Per-step latents from the scheduler itself: the pipeline's callback skips PNDM's
            # first (warm-up) step.
            unet.forward, pipe.scheduler.step = recording_forward, recording_step
            noise.clear()
            try:
                output = pipe(PROMPT, img_condition=condition, num_inference_steps=STEPS, guidance_scale=GUIDANCE, image_guidance_scale=IMAGE_GUIDANCE, generator=generator, latents=initial.clone(), visual_timestep=0)
            finally:
                unet.forward = forward
            timesteps = pipe.scheduler.timesteps
            passes = 3
            if len(masks) != passes * len(timesteps) or len(steps) != len(timesteps):
                raise SystemExit(f"{name}: {len(masks)} U-Net calls, {len(steps)} steps for {len(timesteps)} timesteps")
            run = {"name": name, "scheduler": config, "steps": STEPS, "timesteps": [float(t) for t in timesteps], "initNoiseSigma": float(pipe.scheduler.init_noise_sigma)}
            prefix = f"run/{name}"
            rec.add(f"{prefix}/initial", initial[0])
            for s, lat in enumerate(steps):
                rec.add(f"{prefix}/latents/{s}", lat[0])
                rec.add(f"{prefix}/mask/{s}", masks[passes * s][0])
            run["ancestral"] = len(noise)
            for s, n in enumerate(noise):
                rec.add(f"{prefix}/noise/{s}", n[0])
            rec.add(f"{prefix}/decoded", output.videos[0])  # [3, T, H, W] in [0, 1]
            record["runs"].append(run)
            print(f"{name}: timesteps {run['timesteps']}, {len(noise)} noise draws")

        out.mkdir(parents=True)
        for f in ("manifest.json", "unet.onnx", "unet.onnx.data", "vae_encoder.onnx", "vae_decoder.onnx"):
            shutil.copyfile(pack_dir / f, out / f)
        rec.write(out)
        record["tensors"] = rec.index
        (out / "record.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        sizes = {f.name: f.stat().st_size for f in out.iterdir()}
        print(json.dumps(sizes, indent=1), f"total {sum(sizes.values()) / 1e6:.2f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def rec_source(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
