#!/usr/bin/env bash
# LGVI on a CUDA GPU, in one command (issue 13, item 7):
#   1. the reference-parity fixture through onnxruntime's CUDA provider: the parity table against
#      the authors' pipeline and the time per step (test/lgvi/parity, LACUNA_PARITY_PROVIDER=cuda);
#   2. a full-size window: the fixture's U-Net (the authors' RoviModel, random weights, SD 1.x's 8
#      heads) at LGVI's real 512 x 320 x 24, fp32 and fp16, guidance batched and separate, plain and
#      with fused attention: time per step and the GPU's peak memory for each (bench/unetWindow.ts).
#      Its attention matrices are the real LGVI's size; its convolutions are 10-40x narrower, so the
#      time per step is a floor, not the real model's.
#   3. the parity figures of the fp16 and fused files against the reference, printed whatever they
#      are (fp16 is not held to 1e-5).
#
#   bash scripts/gpu-check.sh            (from the repo root, after npm ci)
#
# Needs: an NVIDIA driver (nvidia-smi) and onnxruntime-node's CUDA provider (node
# node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12 downloads it: do
# it where there is network, then carry node_modules). The fp16 and fused copies of the fixture are
# made by models/export/fp16_variant.py and fuse_attention.py into .tmp/gpu-packs/ when
# LACUNA_EXPORT_PYTHON (a python with onnx + onnxruntime: scripts/export-venv.sh) is set; a GPU
# machine without one gets them by carrying .tmp/gpu-packs/ made elsewhere with
#   LACUNA_EXPORT_PYTHON=... bash scripts/gpu-check.sh --prepare
# Writes $OUT/gpu-check.txt when OUT is set, else .tmp/gpu-check.txt.
set -uo pipefail
out_dir="${OUT:-.tmp}"
packs=.tmp/gpu-packs
fixture=test/fixtures/lgvi-parity
mkdir -p "$out_dir" "$packs"
report="$out_dir/gpu-check.txt"
: > "$report"
say() { echo "$*" | tee -a "$report"; }

prepare() {
  local py="${LACUNA_EXPORT_PYTHON:-}"
  [ -f "$packs/fp16/manifest.json" ] && [ -f "$packs/fused/manifest.json" ] && [ -f "$packs/fused-fp16/manifest.json" ] && return 0
  if [ -z "$py" ]; then say "no LACUNA_EXPORT_PYTHON and no $packs/: the fp16 and fused runs are skipped (see the header)"; return 1; fi
  rm -rf "$packs/fp16" "$packs/fused" "$packs/fused-fp16"
  "$py" models/export/fp16_variant.py "$fixture" --out "$packs/fp16" 2>&1 | tail -1 | tee -a "$report" || return 1
  # The fused copy for the CPU target: it runs on every provider (CUDA's own fusions need a CUDA
  # machine's optimizer run: models/export/fuse_attention.py --target cuda).
  "$py" models/export/fuse_attention.py "$fixture" --out "$packs/fused" --target cpu 2>&1 | grep -v "^fusion" | tail -2 | tee -a "$report" || return 1
  "$py" models/export/fp16_variant.py "$packs/fused" --out "$packs/fused-fp16" 2>&1 | tail -1 | tee -a "$report" || return 1
}

if [ "${1:-}" = "--prepare" ]; then prepare; exit $?; fi

if ! command -v nvidia-smi > /dev/null; then say "no nvidia-smi: not a CUDA machine"; exit 2; fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee -a "$report"
backends=$(node -e "import('onnxruntime-node').then(o => console.log(o.listSupportedBackends().map(b => b.name).join(',')))" 2>&1)
say "onnxruntime-node backends: $backends"
case "$backends" in *cuda*) ;; *) say "onnxruntime-node has no CUDA provider here (see the header for installing it)"; exit 3 ;; esac

# The GPU's peak memory while a command runs, sampled every 100 ms (nvidia-smi's memory.used, MiB).
peak_of() {
  local peak_file
  peak_file=$(mktemp)
  echo 0 > "$peak_file"
  ( peak=0; while true; do
      used=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
      [ "${used:-0}" -gt "$peak" ] && peak=$used && echo "$peak" > "$peak_file"
      sleep 0.1
    done ) &
  local sampler=$!
  "$@"
  local rc=$?
  kill "$sampler" 2> /dev/null
  wait "$sampler" 2> /dev/null
  say "  peak GPU memory: $(cat "$peak_file") MiB (idle before: $idle MiB)"
  rm -f "$peak_file"
  return $rc
}
idle=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)

say "== 1. parity fixture on CUDA (fp32; 1e-5 is the CPU's bar, the figures are printed either way)"
peak_of bash -c "LACUNA_PARITY_PROVIDER=cuda npx vitest run test/lgvi/parity 2>&1 | grep -E 'reference parity|time per step|^  [a-z]|Tests' | tee -a '$report'"

prepared=1
prepare || prepared=0
say "== 2. one window at 512x320x24 (the fixture's U-Net; 2 steps, the first, which opens the session, not timed)"
window() {
  local dir=$1 precision=$2 batch=$3
  say "-- $(basename "$dir") $precision, guidance $batch"
  peak_of bash -c "timeout 600 node bin/run-ts.mjs bench/unetWindow.ts --fixture '$dir' --provider cuda --precision $precision --batch $batch --size 512x320x24 --steps 2 2>&1 | tail -3 | tee -a '$report'"
}
for batch in separate together; do
  window "$fixture" fp32 "$batch"
  if [ "$prepared" = 1 ]; then
    window "$packs/fp16" fp16 "$batch"
    window "$packs/fused" fp32 "$batch"
    window "$packs/fused-fp16" fp16 "$batch"
  fi
done

if [ "$prepared" = 1 ]; then
  say "== 3. parity of the fused and fp16 files against the reference (CUDA; fp16 not held to 1e-5)"
  for dir in "$packs/fused" "$packs/fp16"; do
    say "-- $(basename "$dir")"
    LACUNA_PARITY_FIXTURE="$PWD/$dir" LACUNA_PARITY_PROVIDER=cuda LACUNA_PARITY_PRECISION=$([ "$(basename "$dir")" = fp16 ] && echo fp16 || echo fp32) \
      npx vitest run test/lgvi/parity 2>&1 | grep -E 'reference parity|^  [a-z]|Tests' | tee -a "$report"
  done
fi
say "report: $report"
