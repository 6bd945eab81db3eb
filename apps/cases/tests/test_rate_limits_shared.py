"""The documented rate limits hold across several web processes.

The security test of issue 9 posted to a multi-worker server and got 60 Open311 posts
and 40 public reports accepted in an hour against 30 and 20: each worker counted in its own
memory. Here a real gunicorn with three workers serves the test database, and threads post
concurrently; exactly the limit is accepted, whichever worker answered.
"""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from apps.cases.models import Case
from apps.organization.models import Jurisdiction

from .conftest import jpeg

BASE_DIR = Path(settings.BASE_DIR)


def box(lng0, lat0, lng1, lat1) -> dict:
    return {"type": "Polygon", "coordinates": [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]]}


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(transactional_db, tmp_path):
    """gunicorn, three workers, on the test database and the test's shared cache."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "rate-limit-test-" + "k" * 40,
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CHUANGWEI_VAR_DIR": str(tmp_path),
        "CHUANGWEI_MEDIA_ROOT": str(tmp_path / "media"),
        "CHUANGWEI_PUBLIC_REPORTS_PER_HOUR": "20",
        "CHUANGWEI_OPEN311_POSTS_PER_HOUR": "30",
    }
    if os.environ.get("REDIS_CACHE_URL"):
        # This test process's own Redis database (config/settings_test.py gives each parallel test
        # process its own; the environment's is another process's, which empties it between tests).
        env["REDIS_CACHE_URL"] = settings.CACHES["shared"]["LOCATION"]
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(f"{url}/api/open311/v2/services.json", timeout=5)
            break
        except requests.RequestException:  # not listening yet, or a worker still booting
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode())
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def mapped(org, cats):
    Jurisdiction.objects.filter(pk=org.street_a.pk).update(boundary=box(104.60, 31.40, 104.75, 31.50))
    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(boundary=box(104.67, 31.46, 104.70, 31.48))
    return cats


def _run_concurrently(function, count):
    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(lambda _i: function(), range(count)))


def test_open311_accepts_exactly_the_limit_across_workers(mapped, server):
    def post():
        return requests.post(
            f"{server}/api/open311/v2/requests.json",
            data={"service_code": "exposed_garbage", "lat": "31.47", "long": "104.685", "description": "垃圾"},
            timeout=60,
        ).status_code

    statuses = _run_concurrently(post, 45)
    assert statuses.count(201) == 30, statuses
    assert statuses.count(429) == 15, statuses
    assert Case.objects.count() == 30


def test_public_report_accepts_exactly_the_limit_across_workers(mapped, server):
    photo = jpeg(size=(40, 30)).read()

    def post():
        session = requests.Session()
        page = session.get(f"{server}/public/report/", timeout=60)
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        return session.post(
            f"{server}/public/report/",
            data={
                "csrfmiddlewaretoken": token,
                "category": mapped["exposed_garbage"].pk,
                "lat": "31.47",
                "lng": "104.685",
                "description": "垃圾没人收",
            },
            files={"photos": ("p.jpg", photo, "image/jpeg")},
            headers={"Referer": f"{server}/public/report/"},
            allow_redirects=False,
            timeout=60,
        ).status_code

    statuses = _run_concurrently(post, 28)
    # Each report with one photo costs 2 of the 20 an address has per hour (photos count).
    assert statuses.count(302) == 10, statuses
    assert statuses.count(400) == 18, statuses
    assert Case.objects.count() == 10
