#!/usr/bin/env python3
"""Runs the exporter's machinery on small stand-in models, without the LGVI checkpoint.

The stand-ins take and return exactly the tensors of the real wrappers in export_lgvi_pack.py
(same names, ranks and dynamic dims; the U-Net one reshapes frames with einops as RoviModel does),
so this exercises everything between "a PyTorch module" and "a pack Lacuna accepts": the ONNX
export with the contract's dynamic axes, the re-save with external data, the signature check,
the onnxruntime-against-PyTorch check at other sizes than the trace, and the manifest. It says
nothing about the real models' numbers; only export_lgvi_pack.py on the checkpoint does.

    python3 plumbing_check.py [--out <folder>]

then `lacuna models verify <folder>` (the pack has the stand-ins' random weights and a placeholder
tokenizer.json unless --tokenizer names a real one).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lgvi_pack_manifest as contract  # noqa: E402
import export_lgvi_pack as exporter  # noqa: E402

import torch  # noqa: E402
from einops import rearrange  # noqa: E402


class StandInTextEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(49408, contract.TEXT_WIDTH)
        self.proj = torch.nn.Linear(contract.TEXT_WIDTH, contract.TEXT_WIDTH)

    def forward(self, input_ids):
        return self.proj(self.embed(input_ids))


class StandInVaeEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 2 * contract.LATENT_CHANNELS, contract.VAE_DOWNSAMPLE, stride=contract.VAE_DOWNSAMPLE)

    def forward(self, image):
        mean, logvar = self.conv(image).chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)


class StandInVaeDecoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.up = torch.nn.ConvTranspose2d(contract.LATENT_CHANNELS, 3, contract.VAE_DOWNSAMPLE, stride=contract.VAE_DOWNSAMPLE)

    def forward(self, latent):
        return self.up(latent)


class StandInUNet(torch.nn.Module):
    """Per-frame convolutions on (b f) c h w and a temporal convolution on (b h w) c f, the layouts
    RoviModel switches between, so a frame count frozen by the trace would show."""

    def __init__(self):
        super().__init__()
        c = contract.LATENT_CHANNELS
        self.conv_in = torch.nn.Conv2d(c, c, 3, padding=1)
        self.condition_conv_in = torch.nn.Conv2d(c, c, 3, padding=1)
        self.temporal = torch.nn.Conv1d(c, c, 3, padding=1)
        self.time = torch.nn.Linear(1, c)
        self.text = torch.nn.Linear(contract.TEXT_WIDTH, c)
        self.mask_head = torch.nn.Conv2d(c, 1, 1)

    def forward(self, sample, timestep, encoder_hidden_states, img_condition):
        frames = sample.shape[2]
        x = self.conv_in(rearrange(sample, "b c f h w -> (b f) c h w"))
        x = x + self.condition_conv_in(rearrange(img_condition, "b c f h w -> (b f) c h w"))
        x = rearrange(x, "(b f) c h w -> b c f h w", f=frames)
        h, w = x.shape[-2:]
        x = rearrange(self.temporal(rearrange(x, "b c f h w -> (b h w) c f")), "(b h w) c f -> b c f h w", h=h, w=w)
        emb = self.time(timestep[:, None].float() / 1000.0) + self.text(encoder_hidden_states.mean(dim=1))
        x = x + emb[:, :, None, None, None]
        mask = torch.sigmoid(self.mask_head(rearrange(x, "b c f h w -> (b f) c h w")))
        return x, rearrange(mask, "(b f) c h w -> b c f h w", f=frames)


STAND_INS = {
    "textEncoder": StandInTextEncoder,
    "vaeEncoder": StandInVaeEncoder,
    "vaeDecoder": StandInVaeDecoder,
    "unet": StandInUNet,
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, help="pack folder to write (must not exist); default a new temp folder")
    p.add_argument("--tokenizer", type=Path, help="a tokenizer.json to put in the pack (default a placeholder)")
    p.add_argument("--text-length", default="77", choices=("77", "any"), help="the U-Net's text axis, as export_lgvi_pack.py --text-length")
    args = p.parse_args()
    contract.set_text_length(args.text_length == "any")
    if args.out:
        if args.out.exists():
            raise SystemExit(f"{args.out} already exists")
        args.out.mkdir(parents=True)
        out = args.out
    else:
        out = Path(tempfile.mkdtemp(prefix="lgvi-plumbing-"))
    torch.manual_seed(0)
    ids = torch.randint(0, 49408, (3, contract.TEXT_TOKENS))
    variants = {}
    for role, make in STAND_INS.items():
        module = make().eval()
        name = contract.model_file_name(role, "fp32")
        with tempfile.TemporaryDirectory() as raw_dir:
            raw = Path(raw_dir) / name
            trace_inputs = exporter.example_inputs(role, dtype=torch.float32, device="cpu", ids=ids, **exporter.trace_shape(False))
            exporter.torch_onnx_export(module, trace_inputs, raw, role, False, 17)
            data = exporter.resave(raw, out / name, external=(role == "unet"))
        spec_in, spec_out = contract.tensor_specs(role, "fp32")
        problems = contract.check_onnx_signature(out / name, spec_in, spec_out)
        if problems:
            raise SystemExit("\n".join(problems))
        check_inputs = exporter.example_inputs(role, dtype=torch.float32, device="cpu", ids=ids, **exporter.check_shape(role, False))
        print(exporter.parity_check(module, role, "fp32", False, out / name, check_inputs, "cpu"))
        variants[role] = {"fp32": {"path": name, "data": data}}
    if args.tokenizer:
        (out / "tokenizer.json").write_bytes(args.tokenizer.read_bytes())
    else:
        (out / "tokenizer.json").write_text('{"model": {"type": "BPE", "vocab": {}, "merges": []}}\n', encoding="utf-8")
    manifest = contract.build_manifest(
        out,
        pack_id="lgvi-plumbing-check",
        name="Exporter plumbing check (stand-in models, not LGVI)",
        version="0",
        description=None,
        source={"url": "models/export/plumbing_check.py"},
        licence={"name": "none"},
        scheduler={"_class_name": "DDIMScheduler", "num_train_timesteps": 1000},
        models=variants,
        tokenizer_path="tokenizer.json",
        static_frames=False,
    )
    problems = contract.schema_problems(manifest)
    if problems:
        raise SystemExit("manifest.json does not match manifest.schema.json:\n  " + "\n  ".join(problems))
    contract.write_json_atomic(out / contract.MANIFEST_FILE, manifest)
    print(f"pack written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
