"""/health/ for the load balancer: 200 when database, cache, broker and storage work, 503 otherwise,
and nothing about hosts or errors in the public body."""

import time
from unittest import mock

import pytest
from celery import current_app
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db

URL = "/health/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_healthy_answers_200_without_login_fast_and_uncached(client):
    started = time.monotonic()
    response = client.get(URL)
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "cache_shared": "ok", "broker": "ok", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_broken_database_answers_503_without_details(client):
    error = OperationalError('connection to server at "db-secret.intra" (10.0.0.9), port 5432 failed: password')
    with mock.patch.object(type(connections["default"]), "temporary_connection", side_effect=error):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "failing"
    assert response.json()["checks"]["cache"] == "ok"
    body = response.content.decode()
    assert "secret" not in body and "10.0.0.9" not in body and "5432" not in body


@pytest.mark.parametrize("alias", ["default", "shared"])
def test_a_broken_cache_answers_503(client, settings, alias):
    # "shared" holds the rate limits (the database cache in the embedded setup, Redis in production).
    broken = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/4"}
    settings.CACHES = {**settings.CACHES, alias: broken}
    response = client.get(URL)
    assert response.status_code == 503
    name = "cache" if alias == "default" else "cache_shared"
    checks = {"database": "ok", "cache": "ok", "cache_shared": "ok", "broker": "ok", "storage": "ok"}
    assert response.json()["checks"] == {**checks, name: "failing"}
    assert "6379" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


@pytest.fixture
def broker(monkeypatch):
    """Point the Celery app at another broker for one test (Celery reads CELERY_BROKER_URL from
    the environment before its configuration, as in CI's PostgreSQL run: set both)."""
    conf = current_app.conf
    saved = conf.broker_url, conf.broker_transport_options

    def use(url, options=None):
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        conf.broker_url, conf.broker_transport_options = url, options or {}

    yield use
    conf.broker_url, conf.broker_transport_options = saved


def test_an_unreachable_redis_broker_answers_503(client, broker):
    broker("redis://127.0.0.1:1/4")
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failing"


def test_a_reachable_redis_broker_is_healthy(client, broker):
    broker("redis://127.0.0.1:6379/4")
    assert client.get(URL).json()["checks"]["broker"] == "ok"


def test_the_embedded_filesystem_broker_needs_its_folders(client, broker, tmp_path):
    queue = tmp_path / "broker" / "queue"
    broker("filesystem://", {"data_folder_in": str(queue), "data_folder_out": str(queue)})
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failing"
    queue.mkdir(parents=True)
    response = client.get(URL)
    assert response.status_code == 200
    assert not list(queue.iterdir())  # nothing was queued by the check


def test_unwritable_storage_answers_503_and_the_probe_leaves_no_file(client, settings, tmp_path):
    response = client.get(URL)
    assert response.status_code == 200
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failing"


def test_the_detailed_page_is_for_administrators_and_says_what_failed(client, org):
    client.force_login(org.admin)
    response = client.get("/health/detail/", {"format": "json"})
    assert response.status_code == 200
    with mock.patch.object(
        type(connections["default"]), "temporary_connection", side_effect=OperationalError("down: x")
    ):
        response = client.get("/health/detail/", {"format": "json"})
    assert response.status_code == 503
    assert "down" in response.content.decode()
    client.force_login(org.street)
    assert client.get("/health/detail/").status_code == 403
