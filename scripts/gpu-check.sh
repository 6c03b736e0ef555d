#!/usr/bin/env bash
# LGVI on a CUDA GPU, in one command (issue 13, item 7): the reference-parity fixture through
# onnxruntime's CUDA provider (parity table and time per step), then the benchmark pack at LGVI's
# real size (512 x 320 x 24) for time per window, with the GPU's peak memory sampled throughout.
#   bash scripts/gpu-check.sh            (from the repo root, after npm ci)
# Needs: an NVIDIA driver (nvidia-smi), and onnxruntime-node's CUDA provider installed
# (node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12, which
# downloads it: do it where there is network, then carry node_modules). Writes $OUT/gpu-check.txt
# when OUT is set, else .tmp/gpu-check.txt.
set -uo pipefail
out_dir="${OUT:-.tmp}"
mkdir -p "$out_dir"
report="$out_dir/gpu-check.txt"
: > "$report"
say() { echo "$*" | tee -a "$report"; }

if ! command -v nvidia-smi > /dev/null; then say "no nvidia-smi: not a CUDA machine"; exit 2; fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee -a "$report"
backends=$(node -e "import('onnxruntime-node').then(o => console.log(o.listSupportedBackends().map(b => b.name).join(',')))" 2>&1)
say "onnxruntime-node backends: $backends"
case "$backends" in *cuda*) ;; *) say "onnxruntime-node has no CUDA provider here (see the header for installing it)"; exit 3 ;; esac

# Peak GPU memory, sampled every 200 ms while the checks run.
peak_file=$(mktemp)
( peak=0; while true; do
    used=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
    [ "${used:-0}" -gt "$peak" ] && peak=$used && echo "$peak" > "$peak_file"
    sleep 0.2
  done ) &
sampler=$!
trap 'kill $sampler 2> /dev/null' EXIT

say "== parity fixture on CUDA (fp32; figures printed whether or not they meet the CPU's 1e-5)"
LACUNA_PARITY_PROVIDER=cuda npx vitest run test/lgvi/parity 2>&1 | grep -E "reference parity|time per step|^  [a-z]|Tests" | tee -a "$report"
say "peak GPU memory so far: $(cat "$peak_file" 2> /dev/null || echo '?') MiB"

say "== benchmark pack at 512x320x24 (analytic models, LGVI's real tensor sizes) on CUDA"
LACUNA_PROVIDER=cuda timeout 900 npm run --silent bench -- --only P3 2>&1 | tail -20 | tee -a "$report"
say "peak GPU memory: $(cat "$peak_file" 2> /dev/null || echo '?') MiB"
say "report: $report"
