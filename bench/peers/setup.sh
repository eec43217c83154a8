#!/usr/bin/env bash
# Creates bench/peers/.venv (gitignored) with the peer diffusion libraries that
# compare.sh measures side by side with our `social-loop spread` command.
#
# Pinned to the versions that installed and ran on Python 3.11.7 here (2 cores,
# no network but the package registries). All four install as wheels or build
# from their sdist with the system compiler; none failed. NDlib 6.0.1 imports
# `six` without declaring it (ModuleNotFoundError at import), so six is added.
#
# Usage: bash bench/peers/setup.sh          (idempotent: reuses an existing venv)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet \
    "cynetdiff==0.1.18" \
    "ndlib==6.0.1" \
    "networkx==3.6.1" \
    "pynetim==0.5.5" \
    "numpy==2.4.6" \
    "six==1.17.0" \
    "lifetimes==0.11.3" \
    "pandas==2.3.3"

"$venv/bin/python" - <<'EOF'
import importlib.metadata as m
for name in ("cynetdiff", "ndlib", "networkx", "pynetim", "numpy", "six", "lifetimes", "scipy", "pandas", "autograd"):
    print(f"{name}=={m.version(name)}")
EOF
