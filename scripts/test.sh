#!/usr/bin/env bash
# Runs the whole test suite (unit, view, API, access and browser tests), in two processes.
# DATABASE_URL selects the database (SQLite by default); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --browser
# Two test processes by default (this machine kind has two cores; CI's budget is 40 minutes):
# a file's tests stay in one process, so module fixtures (the demo street of the no-dead-ends
# crawl) are built once. CHUANGWEI_TEST_PROCESSES=0 runs everything in one process.
processes="${CHUANGWEI_TEST_PROCESSES:-2}"
if [ "$processes" = "0" ]; then
  exec .venv/bin/pytest "$@"
fi
exec .venv/bin/pytest -n "$processes" --dist loadfile "$@"
