"""Gunicorn settings used by scripts/run.sh (and meant for production: `gunicorn -c config/gunicorn.conf.py`).

Command-line options override what is set here.
"""

import gunicorn.http.wsgi

# No server banner. Gunicorn 23 writes "Server: gunicorn" in `Response.default_headers`
# and has no setting for it (benoitc/gunicorn#825); the maintainers' answer is that the
# application owns its headers. Setting `gunicorn.SERVER` only blanks the value, so the
# header line itself is dropped here. This file is loaded by the arbiter before it forks,
# so every worker inherits the change.
_default_headers = gunicorn.http.wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


gunicorn.http.wsgi.Response.default_headers = _default_headers_without_server
