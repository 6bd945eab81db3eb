import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils import translation

from tests.builders import build_org


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in English activates English for the
    thread, and services' messages would otherwise come out in English in the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    """Rate-limit counters start at zero in every test. Redis outlives every test, so it is
    emptied before each; the database cache table rolls back with a test's transaction, and
    is emptied after tests that commit (live server, transactional_db)."""
    shared = caches["shared"]
    if not isinstance(shared, DatabaseCache):
        shared.clear()
    yield
    if isinstance(shared, DatabaseCache) and {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            shared.clear()
