#!/usr/bin/env bash
# Installs everything, builds the demo street on SQLite, and starts the app with a
# background worker (no Redis needed: the embedded broker lives under var/broker).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh

export DJANGO_SETTINGS_MODULE=config.settings
PORT="${PORT:-8000}"
HOST="${HOST:-0.0.0.0}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-*}"

.venv/bin/python manage.py migrate --noinput -v 0
# The cache every web process shares (rate limits), as there is no Redis here (migrate
# creates it too; kept explicit).
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python manage.py build_demo --if-empty

mkdir -p var/log
.venv/bin/celery -A config worker -B --pool=prefork --concurrency=1 --loglevel=INFO \
  --schedule var/celerybeat-schedule >var/log/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "创卫通 is running:  http://localhost:${PORT}/"
.venv/bin/python manage.py demo_logins
echo "(worker log: var/log/worker.log — press Ctrl+C to stop)"
echo
.venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi:application --bind "${HOST}:${PORT}" --workers 2 --threads 4 \
  --access-logfile - --log-level warning
