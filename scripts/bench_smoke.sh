#!/usr/bin/env bash
# Smoke runs of every benchmark under bench/ (issue 14), so none can silently break again.
#
# Runs each script's --smoke in sequence (tiny sizes, 1–2 timed runs, the same code paths as the
# full run: pages, API, gunicorn), failing fast, and prints each script's wall time. Every script
# exits non-zero on an error (a page that is not 200, a refused request that should pass, data
# consistency counts not 0). Results go to bench/results/*-smoke.* (git-ignored).
#
#   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chuangwei scripts/bench_smoke.sh
#
# PostgreSQL only (cases_scale and inspections_scale load with COPY; the others run on it too). The
# URL names the server and a prefix. Each benchmark gets a copy <name>_smoke_<script>_bench of one
# migrated template database (CREATE DATABASE … TEMPLATE, about a second instead of a migration
# each) and drops it at the end. The template <name>_smoke_tpl_<hash>_bench is named after a hash
# of the migration files and requirements.txt and kept between runs (17 MB): it is migrated (~25 s)
# only when a migration changes, like any database upgraded by its migrations; older templates are
# dropped then. BENCH_SMOKE_FRESH_TEMPLATE=1 migrates a new one regardless.
# Falls back to DATABASE_URL when BENCH_DATABASE_URL is unset.
# Celery and Redis are not used (jobs run in-process, as in the full runs; the rate limits count
# in the database cache), except by bench/load.py --smoke: gunicorn, a Celery worker and locust
# (10 users, 10 s) with Redis as broker BENCH_BROKER_URL (default redis://127.0.0.1:6379/12) and
# cache BENCH_CACHE_URL (default …/13), not CI's CELERY_BROKER_URL / REDIS_CACHE_URL (14 and 15,
# which the API contract uses while this runs). locust lives in its own virtualenv .venv-bench
# (requirements-bench.txt), which scripts/bench_venv.sh creates or updates first.
# list_pages.py and load.py --smoke build cases_scale's smoke city into their database first.
# Every gunicorn listens on a port the kernel picked free (bind to port 0), so this can run next to
# scripts/api_contract.sh (its own free port and database <name>_api_contract).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
URL="${BENCH_DATABASE_URL:-${DATABASE_URL:-}}"
if [[ "$URL" != postgres* ]]; then
  echo "bench_smoke.sh needs PostgreSQL: set BENCH_DATABASE_URL=postgresql://USER@HOST:PORT/NAME" >&2
  exit 2
fi
SERVER="${URL%/*}"
PREFIX="${URL##*/}"
PREFIX="${PREFIX%%\?*}_smoke"
HASH="$(cat requirements.txt apps/*/migrations/*.py | sha256sum | cut -c1-12)"
TEMPLATE="${PREFIX}_tpl_${HASH}_bench"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-smoke.XXXXXX")"
export CHUANGWEI_VAR_DIR="$WORK/var"
mkdir -p "$CHUANGWEI_VAR_DIR"
export DJANGO_SECRET_KEY="bench-smoke-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_DEBUG=false
unset CELERY_BROKER_URL REDIS_CACHE_URL CHUANGWEI_MEDIA_ROOT DATABASE_URL
BROKER_URL="${BENCH_BROKER_URL:-redis://127.0.0.1:6379/12}"
CACHE_URL="${BENCH_CACHE_URL:-redis://127.0.0.1:6379/13}"

./scripts/bench_venv.sh # .venv-bench for load.py (a no-op when requirements-bench.txt is unchanged)

admin() { # run one statement on the server's maintenance database; prints the rows' first column
  "$PY" - "$SERVER/postgres" "$1" <<'EOF'
import sys

import psycopg

with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    cursor = conn.execute(sys.argv[2])
    for row in cursor.fetchall() if cursor.description else []:
        print(row[0])
EOF
}

trap 'admin "DROP DATABASE IF EXISTS \"${TEMPLATE}_new\" WITH (FORCE)" >/dev/null || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

started="$(now)"
t0="$(now)"
if [[ "${BENCH_SMOKE_FRESH_TEMPLATE:-0}" == 1 ]]; then
  admin "DROP DATABASE IF EXISTS \"$TEMPLATE\" WITH (FORCE)"
fi
if [[ -n "$(admin "SELECT datname FROM pg_database WHERE datname = '$TEMPLATE'")" ]]; then
  echo "bench smoke: template database $TEMPLATE is current (same migrations)"
else
  # Migrated under a temporary name and renamed when complete: a failed migration leaves no template.
  admin "DROP DATABASE IF EXISTS \"${TEMPLATE}_new\" WITH (FORCE)"
  admin "CREATE DATABASE \"${TEMPLATE}_new\""
  DATABASE_URL="$SERVER/${TEMPLATE}_new" "$PY" manage.py migrate --verbosity 0 --no-input
  for old in $(admin "SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}_tpl_%_bench'"); do
    admin "DROP DATABASE IF EXISTS \"$old\" WITH (FORCE)"
  done
  admin "ALTER DATABASE \"${TEMPLATE}_new\" RENAME TO \"$TEMPLATE\""
  echo "bench smoke: template database $TEMPLATE migrated in $(took "$t0") s"
fi
export BENCH_TEMPLATE_DB="$TEMPLATE"

SCRIPTS=(
  org_scale
  cases_scale
  list_pages
  inspections_scale
  import_10k
  hostile_uploads
  bench_ledger
  bench_binder
  bench_agreements
  bench_pestcontrol
  bench_surveys
  record_rollups
  reports_dashboard
  reports_summary
  load
)
declare -A EXTRA=([load]="--broker-url $BROKER_URL --cache-url $CACHE_URL")
for script in "${SCRIPTS[@]}"; do
  db="${PREFIX}_${script//_/}_bench"
  t0="$(now)"
  echo "==> bench/$script.py --smoke"
  timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -o "$WORK/$script.cpu" -f "%U %S")
  if ! "${timer[@]}" "$PY" "bench/$script.py" --smoke --database-url "$SERVER/$db" ${EXTRA[$script]:-} >"$WORK/$script.log" 2>&1; then
    tail -n 40 "$WORK/$script.log"
    echo "bench smoke: bench/$script.py --smoke FAILED after $(took "$t0") s (log above)" >&2
    exit 1
  fi
  cpu=""
  [[ -s "$WORK/$script.cpu" ]] && cpu=" (CPU $(awk '{ printf "%.1f", $1 + $2 }' "$WORK/$script.cpu") s, with its gunicorn)"
  echo "    ok in $(took "$t0") s$cpu"
done
echo "bench smoke: all ${#SCRIPTS[@]} benchmarks passed in $(took "$started") s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
