#!/usr/bin/env bash
# Runs the whole test suite (unit, view, API, access and browser tests).
# DATABASE_URL selects the database (SQLite by default); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --browser
exec .venv/bin/pytest "$@"
