#!/usr/bin/env python3
"""The exporter's parity check refuses a model whose outputs hold NaN or Inf on either side
(PyTorch or onnxruntime), and a NaN relative difference never passes (`not rel <= tol`).

It runs the exporter's own functions (`torch_onnx_export`, `parity_check`, `relative_difference`)
on a small VAE-decoder-shaped model exported to ONNX, then on broken variants of it:
  - PyTorch side NaN (the ONNX file is fine, the module returns NaN: what Debian's torch 1.13 did
    with diffusers' attention),
  - onnxruntime side NaN and Inf (the ONNX file was exported from a broken module),
  - a NaN relative difference given to the tolerance test directly,
  - the LGVI-I exporter's check (export_lgvi_i_pack.finite_parity) on a transfer head gone NaN.
Prints one line per case and "nan check: ok" at the end; exits 1 if the healthy model is refused or
a broken one gets through, so it can gate CI (test/export/nanCheck.test.ts runs it).
Run: python3 models/export/nan_check.py [--export-dir DIR] (needs torch, onnx, onnxruntime, numpy;
DIR is the folder holding export_lgvi_pack.py, this file's folder by default).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--export-dir", type=Path, default=Path(__file__).resolve().parent)
    args = p.parse_args(argv)
    sys.path.insert(0, str(args.export_dir.resolve()))
    import numpy as np
    import torch

    import export_lgvi_pack as ex

    class Decoder(torch.nn.Module):
        """latent [B, 4, h, w] -> image [B, 3, 8h, 8w]; `poison` multiplies the output by NaN or Inf."""

        def __init__(self, poison: float | None = None):
            super().__init__()
            self.conv = torch.nn.Conv2d(4, 3, 1)
            self.poison = poison

        def forward(self, latent):
            y = torch.nn.functional.interpolate(self.conv(latent), scale_factor=8.0)
            return y * self.poison if self.poison is not None else y

    torch.manual_seed(0)
    good = Decoder()
    broken = {"NaN": Decoder(float("nan")), "Inf": Decoder(float("inf"))}
    for module in broken.values():
        module.conv.load_state_dict(good.conv.state_dict())
    trace = ex.example_inputs("vaeDecoder", batch=2, frames=3, height=64, width=64, dtype=torch.float32, device="cpu", ids=None)
    check = ex.example_inputs("vaeDecoder", batch=1, frames=3, height=128, width=64, dtype=torch.float32, device="cpu", ids=None)
    failures = []
    with tempfile.TemporaryDirectory(prefix="lacuna-nan-check-") as tmp:
        def export(module, name: str) -> Path:
            path = Path(tmp) / name
            ex.torch_onnx_export(module, trace, path, "vaeDecoder", False, 17)
            return path

        healthy = export(good, "vae_decoder.onnx")
        try:
            print("healthy model passes:", ex.parity_check(good, "vaeDecoder", "fp32", False, healthy, check, "cpu"))
        except SystemExit as e:
            failures.append(f"the healthy model was refused: {e}")

        cases = [(f"PyTorch side {kind}", module, healthy) for kind, module in broken.items()]
        cases += [(f"onnxruntime side {kind}", good, export(module, f"vae_decoder_{kind.lower()}.onnx")) for kind, module in broken.items()]
        for label, module, path in cases:
            try:
                report = ex.parity_check(module, "vaeDecoder", "fp32", False, path, check, "cpu")
            except SystemExit as e:
                print(f"{label}: refused: {e}")
            else:
                failures.append(f"{label}: NOT refused ({report})")

        # The LGVI-I exporter's own check, on a transfer head (LLM width -> 768) gone NaN.
        import export_lgvi_i_pack as exi

        class Head(torch.nn.Module):
            def __init__(self, poison: float | None = None):
                super().__init__()
                self.lin = torch.nn.Linear(8, 768)
                self.poison = poison

            def forward(self, x):
                y = self.lin(x)
                return y * self.poison if self.poison is not None else y

        good_head, nan_head = Head(), Head(float("nan"))
        nan_head.lin.load_state_dict(good_head.lin.state_dict())
        head_path = Path(tmp) / "transfer_head.onnx"
        axes = {"hidden_states": {1: "N"}, "prompt_embeds": {1: "N"}}
        exi.export_onnx(good_head, (torch.randn(1, 4, 8),), head_path, ["hidden_states"], ["prompt_embeds"], axes, 17)
        states = (torch.randn(1, 9, 8),)
        try:
            print("healthy transfer head passes:", exi.finite_parity(good_head, head_path, ["hidden_states"], ["prompt_embeds"], states, "9 states")[0])
        except SystemExit as e:
            failures.append(f"the healthy transfer head was refused: {e}")
        try:
            report = exi.finite_parity(nan_head, head_path, ["hidden_states"], ["prompt_embeds"], states, "9 states")
        except SystemExit as e:
            print(f"LGVI-I transfer head NaN: refused: {e}")
        else:
            failures.append(f"LGVI-I transfer head NaN: NOT refused ({report})")

    rel = ex.relative_difference(np.array([np.nan, 1.0]), np.array([1.0, 1.0]))
    if not rel <= ex.TOLERANCE["fp32"]:
        print(f"a NaN relative difference ({rel}) fails the tolerance test")
    else:
        failures.append(f"a NaN relative difference ({rel}) passed the tolerance test")

    for failure in failures:
        print(f"FAILED: {failure}")
    print("nan check: ok" if not failures else f"nan check: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
