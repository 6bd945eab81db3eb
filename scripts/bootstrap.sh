#!/usr/bin/env bash
# Installs everything the app and its tests need; safe to run again (it skips what is there).
#   - Debian packages: gettext (translations), libreoffice-writer-nogui (PDF of reports); with --browser also chromium and CJK fonts
#   - Python 3.11 virtualenv in .venv with the pinned requirements
#   - front-end assets from the npm registry, copied to static/vendor (served locally, no CDN)
#   - compiled translations
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

apt_install() {
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if [ ! -f /var/lib/apt/periodic/chuangwei-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock | head -1)" ]; then
    $SUDO apt-get update -qq || true
    $SUDO mkdir -p /var/lib/apt/periodic && $SUDO touch /var/lib/apt/periodic/chuangwei-updated
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$want_browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}"
  apt_install "${need[@]}"
fi
# LibreOffice (no GUI, ~30 s) turns the generated .docx reports into PDF (apps/reports/layout.py),
# with the CJK fonts for their text; its recommended extras (Java, desktop parts) are not needed.
if ! command -v soffice >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  echo "==> apt-get install libreoffice-writer-nogui fonts-noto-cjk"
  apt_install --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha
sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  echo "==> pip install -r requirements.txt"
  # (this machine's pip config names extra index folders that may be absent: hide that noise)
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "pip install failed" >&2; exit 1; }
  echo "$sum" > "$stamp"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p static/vendor/htmx static/vendor/leaflet static/vendor/echarts
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/

# The app's secret key: generated once per machine into var/secret_key (mode 600), never in
# the code; settings read it when DJANGO_SECRET_KEY is not set (production sets that instead).
var_dir="${CHUANGWEI_VAR_DIR:-var}"
mkdir -p "$var_dir"
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ ! -s "$var_dir/secret_key" ]; then
  (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" >"$var_dir/secret_key")
fi

.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
