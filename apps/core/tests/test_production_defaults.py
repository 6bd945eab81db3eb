"""Issue 9, finding 6: the defaults are safe in production.

Settings are read once per process, so what depends on the environment (the secret key,
the HTTPS switch, `check --deploy`) is tested in a fresh Python process.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable

# The documented production settings (README "Security and operations").
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "production-like-" + "Zq8#x" * 10,
    "DJANGO_ALLOWED_HOSTS": "chuangwei.example.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://chuangwei.example.gov.cn",
    "CHUANGWEI_HTTPS": "1",
    "CHUANGWEI_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "DATABASE_URL": "postgresql://chuangwei@db.example.gov.cn:5432/chuangwei",
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3",
}


def _clean_env(tmp_path, **extra) -> dict:
    """This process's environment without any of the settings under test."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CHUANGWEI_", "DATABASE_URL", "REDIS_", "CELERY_"))
    }
    env.update({"CHUANGWEI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **extra})
    return env


def _settings_in_new_process(tmp_path, names, **env) -> subprocess.CompletedProcess:
    code = (
        "import json; from config import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))"
    )
    return subprocess.run(  # noqa: S603
        [PYTHON, "-c", code], cwd=BASE_DIR, env=_clean_env(tmp_path, **env), capture_output=True, text=True, timeout=60
    )


# Secret key ------------------------------------------------------------------------------------


def test_no_secret_key_with_debug_off_refuses_to_start(tmp_path):
    result = _settings_in_new_process(tmp_path, ["SECRET_KEY"], DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr
    # The published development key is gone from the code.
    assert "insecure-development-key" not in (BASE_DIR / "config" / "settings.py").read_text()


def test_secret_key_from_the_environment_or_the_key_file(tmp_path):
    result = _settings_in_new_process(tmp_path, ["SECRET_KEY"], DJANGO_SECRET_KEY="k" * 50)
    assert json.loads(result.stdout)["SECRET_KEY"] == "k" * 50
    (tmp_path / "secret_key").write_text("f" * 50 + "\n")
    result = _settings_in_new_process(tmp_path, ["SECRET_KEY"])
    assert json.loads(result.stdout)["SECRET_KEY"] == "f" * 50


def test_debug_without_a_key_uses_a_random_one(tmp_path):
    keys = {
        json.loads(_settings_in_new_process(tmp_path, ["SECRET_KEY"], DJANGO_DEBUG="1").stdout)["SECRET_KEY"]
        for _ in range(2)
    }
    assert len(keys) == 2 and all(len(key) >= 50 for key in keys)


# HTTPS -----------------------------------------------------------------------------------------

HTTPS_NAMES = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SAMESITE",
]


def test_one_switch_turns_https_on(tmp_path):
    off = json.loads(_settings_in_new_process(tmp_path, HTTPS_NAMES, DJANGO_SECRET_KEY="k" * 50).stdout)
    assert off["SECURE_SSL_REDIRECT"] is False and off["SECURE_HSTS_SECONDS"] == 0
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_PROXY_SSL_HEADER"] is None
    on = json.loads(
        _settings_in_new_process(
            tmp_path,
            HTTPS_NAMES,
            DJANGO_SECRET_KEY="k" * 50,
            CHUANGWEI_HTTPS="1",
            CHUANGWEI_PROXY_SSL_HEADER="X-Forwarded-Proto",
            CHUANGWEI_HSTS_INCLUDE_SUBDOMAINS="1",
        ).stdout
    )
    assert on == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    # The older switch still marks the cookies Secure.
    old = json.loads(
        _settings_in_new_process(tmp_path, HTTPS_NAMES, DJANGO_SECRET_KEY="k" * 50, DJANGO_SECURE_COOKIES="1").stdout
    )
    assert old["SESSION_COOKIE_SECURE"] is True and old["CSRF_COOKIE_SECURE"] is True


@pytest.mark.django_db
def test_ssl_redirect_spares_the_health_endpoint(client):
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000):
        response = client.get(reverse("accounts:login"))
        assert response.status_code == 301 and response["Location"].startswith("https://")
        health = client.get("/health/")
        assert health.status_code != 301
        secure = client.get(reverse("accounts:login"), secure=True)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000"
        assert secure["Referrer-Policy"] == "same-origin"
        assert secure["X-Content-Type-Options"] == "nosniff"
        assert secure["Cross-Origin-Opener-Policy"] == "same-origin"


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_clean_env(tmp_path, **PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_still_warns_without_https(tmp_path):
    """The test above means something: without the switch, `check --deploy` complains."""
    env = {**PRODUCTION_ENV, "CHUANGWEI_HTTPS": "0"}
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


# Content-Security-Policy ------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }


@pytest.mark.django_db
def test_every_page_carries_the_policy(client, org):
    client.force_login(org.grid)
    policy = _policy(client.get(reverse("core:home")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert set(policy["img-src"]) == {"'self'", "data:", "blob:"}
    header = client.get(reverse("core:home"))["Content-Security-Policy"]
    assert "unsafe-eval" not in header
    # 'unsafe-inline' only for style attributes, never for scripts or <style>.
    assert [d for d, values in policy.items() if "'unsafe-inline'" in values] == ["style-src-attr"]


def test_the_tile_server_is_allowed_for_images(tmp_path):
    result = _settings_in_new_process(
        tmp_path,
        ["CONTENT_SECURITY_POLICY"],
        DJANGO_SECRET_KEY="k" * 50,
        CHUANGWEI_MAP_TILE_URL="http://{s}.tiles.gov.local:8080/{z}/{x}/{y}.png",
    )
    img_src = json.loads(result.stdout)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert img_src == ["'self'", "data:", "blob:", "http://*.tiles.gov.local:8080"]


def test_no_inline_script_or_handler_in_templates():
    import re

    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path}: {match.group(0)}")
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\w-]*)=", text):
            offenders.append(f"{path}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


# no-store ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_authenticated_pages_are_not_stored(client, org):
    client.force_login(org.grid)
    for url in [reverse("core:home"), reverse("accounts:password_change"), "/api/v1/"]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url


@pytest.mark.django_db
def test_login_page_is_not_stored_but_public_pages_and_static_may_be(client, org):
    login_page = client.get(reverse("accounts:login"))
    assert "no-store" in login_page["Cache-Control"]
    public = client.get(reverse("public:public_track"))
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(org.grid)
    static = client.get(settings.STATIC_URL + "css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


# Server banner ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn_headers(tmp_path, *config) -> dict:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).parent / "gunicorn"),
            *config,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env=_clean_env(tmp_path, DJANGO_SECRET_KEY="k" * 50),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                return dict(requests.head(f"http://127.0.0.1:{port}/static/css/app.css", timeout=5).headers)
            except requests.RequestException:  # not listening yet, or a worker still booting
                time.sleep(0.2)
        pytest.fail("gunicorn did not start")
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_gunicorn_sends_no_server_banner_with_our_config(tmp_path):
    assert "Server" in _gunicorn_headers(tmp_path)  # gunicorn's default, the finding
    headers = _gunicorn_headers(tmp_path, "-c", "config/gunicorn.conf.py")
    assert "Server" not in headers and "Date" in headers
    assert "config/gunicorn.conf.py" in (BASE_DIR / "scripts" / "run.sh").read_text()
