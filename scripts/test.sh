#!/usr/bin/env bash
# The whole test suite, on a fresh machine or an old one: makes (or reuses) the Python virtual
# environment .venv with scripts/requirements-test.txt, runs every Rust test, builds the debug
# binary once, then runs the Python reader tests (tests/python) against it.
#
#   bash scripts/test.sh [extra pytest arguments]
#
# Needs cargo and python3 (3.10 or newer; PYTHON overrides). .ci/run calls this script.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
venv=$root/.venv
req=scripts/requirements-test.txt
stamp=$venv/.requirements-test.sha256
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    echo "test.sh: creating $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
want=$( (cat "$req"; "$venv/bin/python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "test.sh: installing $req into $venv" >&2
    start=$SECONDS
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
    echo "test.sh: installed in $((SECONDS - start))s" >&2
fi
export CLAIMSET_PYTHON=$venv/bin/python

target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$root/$target ;; esac

# Every Rust test (all targets, even after a failure), then the binary the Python tests run.
status=0
cargo test --workspace --no-fail-fast || status=$?
cargo build
CLAIMSET_BIN=$target/debug/claimset "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python "$@" || status=$?
exit "$status"
