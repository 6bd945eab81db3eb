#!/usr/bin/env bash
# The load test's own virtualenv .venv-bench (locust, requirements-bench.txt; see bench/load.py):
# created when missing, reinstalled when requirements-bench.txt changes (a hash stamp, as
# scripts/bootstrap.sh does for .venv). Safe to run again: a no-op when current.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv-bench/bin/python ]; then
  echo "==> creating .venv-bench"
  "$PYTHON" -m venv .venv-bench
fi
stamp=.venv-bench/.requirements.sha
sum=$(sha256sum requirements-bench.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ] || [ ! -x .venv-bench/bin/locust ]; then
  echo "==> pip install -r requirements-bench.txt (into .venv-bench)"
  # (this machine's pip config names extra index folders that may be absent: hide that noise)
  .venv-bench/bin/pip install -q --disable-pip-version-check -r requirements-bench.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "pip install -r requirements-bench.txt failed" >&2; exit 1; }
  echo "$sum" >"$stamp"
fi
