import pytest
from django.conf import settings
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
