#!/usr/bin/env python3
"""The exporter refuses a model whose outputs are NaN/Inf on either side (PyTorch or onnxruntime),
and a NaN relative difference never passes (`not rel <= tol`). Run: python3 models/export/nan_check.py
(torch, onnx, onnxruntime). Prints the check report and exits 1 if a NaN model got through."""
import sys, tempfile
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_lgvi_pack as ex
class Dec(torch.nn.Module):
    def __init__(self, nan=False):
        super().__init__(); self.conv = torch.nn.Conv2d(4, 3, 1); self.nan = nan
    def forward(self, latent):
        y = torch.nn.functional.interpolate(self.conv(latent), scale_factor=8.0)
        return y * float('nan') if self.nan else y
good, bad = Dec(), Dec(nan=True)
bad.conv.load_state_dict(good.conv.state_dict())
d = Path(tempfile.mkdtemp()); path = d / 'vae_decoder.onnx'
ins = ex.example_inputs('vaeDecoder', batch=2, frames=3, height=64, width=64, dtype=torch.float32, device='cpu', ids=None)
ex.torch_onnx_export(good, ins, path, 'vaeDecoder', False, 17)
chk = ex.example_inputs('vaeDecoder', batch=1, frames=3, height=128, width=64, dtype=torch.float32, device='cpu', ids=None)
print(ex.parity_check(good, 'vaeDecoder', 'fp32', False, path, chk, 'cpu'))
try:
    ex.parity_check(bad, 'vaeDecoder', 'fp32', False, path, chk, 'cpu'); print('NOT CAUGHT'); sys.exit(1)
except SystemExit as e:
    print('caught:', e)
import numpy as np
assert not (ex.relative_difference(np.array([np.nan]), np.array([1.0])) <= 1e-3)
print('a NaN relative difference fails the tolerance check')
