import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils import translation

from tests.builders import build_org


def _is_transactional(item) -> bool:
    """Whether a test commits (and so ends with a flush that empties every table), as pytest-django
    decides it: `django_db(transaction=True)`, or the `transactional_db`/`live_server` fixtures."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """In parallel runs (`--dist loadgroup`, scripts/test.sh) a file's tests go to one process,
    the ones that commit in a group of their own. pytest-django orders every test that rolls back
    before every test that commits; the groups keep that order in each process, so no test that
    reads what the migrations installed (starter standards, categories, the calendar) runs after
    a flush has emptied its database."""
    if config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        kind = "commits" if _is_transactional(item) else "rollback"
        item.add_marker(pytest.mark.xdist_group(f"{item.nodeid.split('::')[0]}:{kind}"))


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
