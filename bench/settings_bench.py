"""Settings for the benchmarks' gunicorn: the real settings plus ``bench/bare-case/`` (bench/bare_urls.py).

Only ``cases_scale.py`` uses it (``DJANGO_SETTINGS_MODULE=bench.settings_bench``); the app never does.
"""

from config.settings import *  # noqa: F403  (the real settings, unchanged)

ROOT_URLCONF = "bench.bare_urls"
