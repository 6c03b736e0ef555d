#!/usr/bin/env bash
# A Python virtual environment for models/export's checks that run in CI (test/export/*.test.ts):
# torch (CPU), onnx, onnxruntime, numpy. Usage:
#   bash scripts/export-venv.sh [DIR]          (default .tmp/export-venv)
#   export LACUNA_EXPORT_PYTHON="$PWD/.tmp/export-venv/bin/python"
# Reuses DIR when its python already imports everything. pip reads its usual configuration (the CI
# image's pip.conf points at a local index and wheel folder, /opt/pypi and /opt/wheels); where that
# local index exists it is used as the only index, so no time goes on an unreachable pypi.org.
# Prints the venv's python path as its last line; exits non-zero (with the reason) if it cannot
# build a venv that imports torch, onnx and onnxruntime.
set -euo pipefail
dir="${1:-.tmp/export-venv}"
packages=(torch onnx onnxruntime numpy)
check='import torch, onnx, onnxruntime, numpy; print("export venv:", "torch", torch.__version__, "onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)'

if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$check" > /dev/null 2>&1; then
  echo "$(cd "$dir" && pwd)/bin/python"
  exit 0
fi

python="${PYTHON:-python3}"
command -v "$python" > /dev/null || { echo "export-venv: no $python on PATH (set PYTHON=...)" >&2; exit 1; }
rm -rf "$dir"
"$python" -m venv "$dir" || { echo "export-venv: '$python -m venv' failed (Debian: apt-get install python3-venv)" >&2; exit 1; }

pip_args=(--quiet --disable-pip-version-check --no-input)
if [ -z "${PIP_INDEX_URL:-}" ] && [ -d /opt/pypi/simple ]; then
  pip_args+=(--index-url file:///opt/pypi/simple)
  [ -d /opt/wheels ] && pip_args+=(--find-links /opt/wheels)
fi
"$dir/bin/pip" install "${pip_args[@]}" "${packages[@]}" \
  || { echo "export-venv: pip could not install ${packages[*]} into $dir" >&2; exit 1; }
"$dir/bin/python" -c "$check" >&2 || { echo "export-venv: $dir/bin/python cannot import ${packages[*]}" >&2; exit 1; }
echo "$(cd "$dir" && pwd)/bin/python"
