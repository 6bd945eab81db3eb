"""Two web processes sharing one database, Redis and object storage (issue 14, "Several machines").

The documented topology on loopback: two gunicorn processes (two "machines": nothing is shared
between them but PostgreSQL, Redis and an S3 server, moto's here) serve the test database with
production settings. A person logs in on A, reports a case with a photo on A, and B serves that
photo with the same session cookie; logging out on B ends the session on A.

PostgreSQL only (the deployment this is about; CI's second run): on SQLite it is skipped. In that
run a missing piece (no Redis, no S3 client, a process that does not start) fails, never skips.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
import redis
import requests
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from moto.server import ThreadedMotoServer
from PIL import Image

from apps.accounts.hashers import Argon2idHasher
from apps.accounts.models import User
from apps.cases.models import Case, CasePhoto
from tests.builders import PASSWORD

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several machines: PostgreSQL only (CI's second run)"),
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(settings.BASE_DIR)
BUCKET = "hmulti-two-web"
# Redis databases of their own (the test suite's are 14/15 and below), emptied before and after.
REDIS_CACHE_DB, REDIS_BROKER_DB = 9, 10
AWS = {"AWS_ACCESS_KEY_ID": "hmulti", "AWS_SECRET_ACCESS_KEY": "hmulti-secret", "AWS_DEFAULT_REGION": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


@pytest.fixture
def shared_redis():
    host = "redis://127.0.0.1:6379"
    clients = [redis.Redis.from_url(f"{host}/{n}") for n in (REDIS_CACHE_DB, REDIS_BROKER_DB)]
    try:
        for client in clients:
            client.flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {host} is needed for the two-process test: {error}")
    yield f"{host}/{REDIS_CACHE_DB}", f"{host}/{REDIS_BROKER_DB}"
    for client in clients:
        client.flushdb()


@pytest.fixture
def object_store():
    """An S3 server (moto) on a free loopback port, with the bucket made."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_credentials())
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def _credentials() -> dict:
    return {"aws_access_key_id": AWS["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": AWS["AWS_SECRET_ACCESS_KEY"]}


@pytest.fixture
def two_web(transactional_db, shared_redis, object_store, tmp_path):
    """Two gunicorn processes, each with its own var folder, sharing database, Redis and bucket."""
    cache_url, broker_url = shared_redis
    endpoint, _client = object_store
    processes, urls = [], []
    for name in ("a", "b"):
        port = _free_port()
        env = {
            **os.environ,
            **AWS,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "two-web-test-" + "k" * 40,  # one key for the deployment
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_CACHE_URL": cache_url,
            "CELERY_BROKER_URL": broker_url,
            "CHUANGWEI_VAR_DIR": str(tmp_path / name),
            "CHUANGWEI_MEDIA_ROOT": str(tmp_path / name / "media"),
            "CHUANGWEI_S3_BUCKET": BUCKET,
            "CHUANGWEI_S3_ENDPOINT_URL": endpoint,
            "CHUANGWEI_S3_REGION": "us-east-1",
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            *("-c", "config/gunicorn.conf.py", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--log-level", "warning"),
        ]
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=out)  # noqa: S603 - our gunicorn
        processes.append((process, log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, (process, log) in zip(urls, processes, strict=True):
            for _ in range(300):
                if process.poll() is not None:
                    pytest.fail(f"gunicorn {url} exited: {log.read_text(errors='replace')[-3000:]}")
                try:
                    requests.get(f"{url}/health/", timeout=5)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            else:
                pytest.fail(f"gunicorn {url} did not start: {log.read_text(errors='replace')[-3000:]}")
        yield SimpleNamespace(a=urls[0], b=urls[1], logs=[log for _p, log in processes], var=tmp_path)
    finally:
        for process, _log in processes:
            process.terminate()
        for process, _log in processes:
            process.wait(timeout=20)


def _token(page: requests.Response) -> str:
    return page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_uploaded_through_one_web_process_is_served_through_the_other(org, cats, two_web, object_store):
    web_a, web_b = two_web.a, two_web.b
    _endpoint, s3 = object_store
    # The password as production hashes it (Argon2id): the processes run production settings.
    User.objects.filter(pk=org.grid.pk).update(password=make_password(PASSWORD, hasher=Argon2idHasher()))
    browser = requests.Session()  # one cookie jar: cookies are per host, not per port

    for url in (web_a, web_b):  # the load balancer's probe: database, Redis, broker, bucket
        health = requests.get(f"{url}/health/", timeout=30)
        assert health.status_code == 200, (url, health.text, [log.read_text()[-2000:] for log in two_web.logs])

    login = browser.get(f"{web_a}/accounts/login/", timeout=30)
    response = browser.post(
        f"{web_a}/accounts/login/",
        data={"csrfmiddlewaretoken": _token(login), "username": org.grid.username, "password": PASSWORD},
        headers={"Referer": f"{web_a}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/", response.text[:500]

    # The session made on A is valid on B.
    home_b = browser.get(f"{web_b}/", allow_redirects=False, timeout=30)
    assert home_b.status_code == 200 and org.grid.username in home_b.text

    report = browser.get(f"{web_a}/cases/report/", timeout=30)
    photo = _jpeg()
    response = browser.post(
        f"{web_a}/cases/report/",
        data={
            "csrfmiddlewaretoken": _token(report),
            "category": cats["exposed_garbage"].pk,
            "description": "垃圾堆",
            "address": "人民路1号",
            "jurisdiction": org.grid_a1.pk,
            "lat": "31.467000",
            "lng": "104.683000",
        },
        files={"photos": ("p.jpg", photo, "image/jpeg")},
        headers={"Referer": f"{web_a}/cases/report/"},
        allow_redirects=False,
        timeout=60,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == case.get_absolute_url()
    stored = CasePhoto.objects.get(case=case)
    in_bucket = s3.get_object(Bucket=BUCKET, Key=stored.image.name)["Body"].read()
    assert in_bucket[:2] == b"\xff\xd8"
    assert not (two_web.var / "a" / "media").exists()  # nothing on A's disk: B could not read it

    served = browser.get(f"{web_b}{stored.image_url}", timeout=30)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.content == in_bucket
    thumb = browser.get(f"{web_b}{stored.thumbnail_url}", timeout=30)
    assert (
        thumb.status_code == 200
        and thumb.content == s3.get_object(Bucket=BUCKET, Key=stored.thumbnail.name)["Body"].read()
    )
    # Not public: the same address without the session answers the login page, not the photo.
    anonymous = requests.get(f"{web_b}{stored.image_url}", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]

    # Logging out on B ends the session on A too.
    logout_page = browser.get(f"{web_b}/", timeout=30)
    csrf = logout_page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    browser.post(
        f"{web_b}/accounts/logout/", data={"csrfmiddlewaretoken": csrf}, headers={"Referer": f"{web_b}/"}, timeout=30
    )
    after = browser.get(f"{web_a}/", allow_redirects=False, timeout=30)
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]
