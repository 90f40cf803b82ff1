#!/usr/bin/env bash
# The second PyTorch build of the benchmark references: torch 2.13 (CPU wheel, its own bundled
# BLAS and OpenMP) in a venv at bench/.torch-wheel/, next to Debian's torch 1.13 in
# /usr/bin/python3. `npm run bench -- --references wheel:1,...` runs the references with
# bench/.torch-wheel/bin/python (without the OpenBLAS LD_LIBRARY_PATH Debian's build needs).
#
# pip installs from what its configuration points at (on this machine a local wheel folder,
# /opt/wheels, and local indexes for the pure-Python dependencies). Idempotent: a venv that
# already imports the wanted version is left as it is.
#
#   bash bench/reference/setup-torch-wheel.sh            # torch 2.13.0
#   TORCH_VERSION=2.13.0 bash bench/reference/setup-torch-wheel.sh
set -euo pipefail

TORCH_VERSION="${TORCH_VERSION:-2.13.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$(dirname "$HERE")/.torch-wheel"
PY="$VENV/bin/python"
# Never let Debian's OpenBLAS override the BLAS the wheel bundles.
unset LD_LIBRARY_PATH

# The installed version, with any local tag ("+cpu") dropped; empty when torch does not import.
installed() {
  [ -x "$PY" ] || return 0
  "$PY" -c 'import torch, numpy; print(torch.__version__.split("+")[0])' 2>/dev/null || true
}

if [ "$(installed)" = "$TORCH_VERSION" ]; then
  echo "setup-torch-wheel: $VENV already has torch $TORCH_VERSION"
  exit 0
fi

if [ ! -x "$PY" ]; then
  /usr/bin/python3 -m venv "$VENV"
fi
"$PY" -m pip install --disable-pip-version-check --no-input "torch==$TORCH_VERSION" numpy

got="$(installed)"
if [ "$got" != "$TORCH_VERSION" ]; then
  echo "setup-torch-wheel: $PY imports torch '${got:-nothing}', not $TORCH_VERSION" >&2
  exit 1
fi
"$PY" -c 'import torch, numpy; print("setup-torch-wheel: torch", torch.__version__, "numpy", numpy.__version__, "threads", torch.get_num_threads())'
