#!/usr/bin/env bash
# API contract test: the running app against its own OpenAPI schema (/api/schema/).
#
# On a fresh throwaway database with the demo data, starts gunicorn on a free port, issues API
# tokens, and runs Schemathesis on every operation of the schema: anonymously and as a street
# dispatcher, a leader (read-only) and a unit contact, with a bounded number of examples and a
# fixed seed. Fails on any 5xx, any answer the schema does not declare (status code, content type,
# headers, body) and any schema-violating request the API accepts.
#
#   scripts/api_contract.sh                 # SQLite in a temporary directory
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chuangwei scripts/api_contract.sh
#                                           # PostgreSQL: uses (drops and recreates) <name>_api_contract
#
# Phases: examples, fuzzing (random valid and invalid input) and stateful (chains of calls) for
# everyone; the coverage phase (every boundary and invalid value of every parameter, the largest)
# anonymously and as the dispatcher, whose rights are the widest: for the read-only roles it
# mostly repeats the same 403s. The whole step takes about 2 minutes on two idle cores (SQLite).
#
# Knobs: API_CONTRACT_EXAMPLES (examples per operation and phase, default 10), API_CONTRACT_SEED
# (default 9), API_CONTRACT_PORT (default: a free port), API_CONTRACT_USERS (default
# "street leader unit"), API_CONTRACT_COVERAGE_AS (default "anonymous street"),
# API_CONTRACT_REPORT_DIR (JUnit reports, default var/api-contract).
#
# Not checked: `positive_data_acceptance` (that every schema-valid request succeeds). OpenAPI
# cannot say that a referenced id must exist, that a step needs the case in a given state, or
# that a dispatch names a unit or a person; those answers are the documented 400/404/409.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES="${API_CONTRACT_EXAMPLES:-10}"
SEED="${API_CONTRACT_SEED:-9}"
USERS="${API_CONTRACT_USERS:-street leader unit}"
COVERAGE_AS=" ${API_CONTRACT_COVERAGE_AS:-anonymous street} "
REPORT_DIR="${API_CONTRACT_REPORT_DIR:-$PWD/var/api-contract}"
PY=.venv/bin/python

WORK="$(mktemp -d "${TMPDIR:-/tmp}/api-contract.XXXXXX")"
export CHUANGWEI_VAR_DIR="$WORK/var"
unset CHUANGWEI_MEDIA_ROOT
mkdir -p "$CHUANGWEI_VAR_DIR" "$REPORT_DIR"
export DJANGO_SETTINGS_MODULE=config.settings
export DJANGO_DEBUG=0 # Django's own error pages, as in production (DEBUG shows its technical 404)
export DJANGO_SECRET_KEY="api-contract-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export CELERY_TASK_ALWAYS_EAGER=1 # no worker: background jobs run inside the request

# A fresh database: on PostgreSQL <name>_api_contract next to the suite's, else SQLite in $WORK.
CONTRACT_DB=""
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  CONTRACT_DB="$("$PY" -c 'import sys, dj_database_url as d; print(d.parse(sys.argv[1])["NAME"] + "_api_contract")' "$DATABASE_URL")"
  export DATABASE_URL="${DATABASE_URL%/*}/$CONTRACT_DB"
  pg_admin() {
    "$PY" - "$DATABASE_URL" "$1" <<'PY'
import sys

import dj_database_url
import psycopg
from psycopg import sql

db = dj_database_url.parse(sys.argv[1])
with psycopg.connect(
    dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"] or None,
    autocommit=True,
) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))
    if sys.argv[2] == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
PY
  }
  pg_admin create
else
  export DATABASE_URL="sqlite:///$CHUANGWEI_VAR_DIR/contract.sqlite3"
fi

SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$CONTRACT_DB" ]]; then pg_admin drop || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "--> schema is valid OpenAPI 3 without generator warnings"
"$PY" manage.py spectacular --validate --fail-on-warn --file "$WORK/schema.yaml"

echo "--> fresh database with the demo (${DATABASE_URL%%:*})"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py build_demo

declare -A TOKENS
for user in $USERS; do
  TOKENS[$user]="$("$PY" manage.py issue_api_token "$user")"
done

PORT="${API_CONTRACT_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"
echo "--> gunicorn on $BASE"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "$BASE/api/schema/" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done

# No crash cache kept between runs (it would replay old failures and write into the checkout).
printf '[cache]\nenabled = false\n' >"$WORK/schemathesis.toml"

run_schemathesis() { # name, then extra arguments (the Authorization header)
  local name=$1 phases=examples,fuzzing,stateful
  shift
  [[ "$COVERAGE_AS" == *" $name "* ]] && phases=examples,coverage,fuzzing,stateful
  echo "--> schemathesis as $name ($phases; $EXAMPLES examples per operation, seed $SEED)"
  .venv/bin/schemathesis --config-file "$WORK/schemathesis.toml" run "$BASE/api/schema/" --phases "$phases" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 \
    --generation-database none --request-timeout 30 --no-color \
    --report junit --report-junit-path "$REPORT_DIR/$name.xml" \
    "$@"
}

FAILED=()
run_schemathesis anonymous || FAILED+=(anonymous)
for user in $USERS; do
  run_schemathesis "$user" -H "Authorization: Token ${TOKENS[$user]}" || FAILED+=("$user")
done

if ((${#FAILED[@]})); then
  echo "API contract FAILED for: ${FAILED[*]} (JUnit reports in $REPORT_DIR; server errors below)" >&2
  grep -A40 "Internal Server Error" "$WORK/server.log" | tail -150 >&2 || true
  exit 1
fi
echo "API contract holds: anonymous and $USERS"
