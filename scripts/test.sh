#!/usr/bin/env bash
# Runs the whole test suite (unit, view, API, access and browser tests), in two processes.
# DATABASE_URL selects the database (SQLite by default); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --browser
# Two test processes by default (this machine kind has two cores; CI's budget is 40 minutes).
# A file's tests stay in one process (those that commit in a group of their own, run after every
# test that rolls back: conftest.py), so module fixtures are built once per file.
# CHUANGWEI_TEST_PROCESSES=0 runs everything in one process.
processes="${CHUANGWEI_TEST_PROCESSES:-2}"
if [ "$processes" = "0" ]; then
  exec .venv/bin/pytest "$@"
fi
exec .venv/bin/pytest -n "$processes" --dist loadgroup "$@"
