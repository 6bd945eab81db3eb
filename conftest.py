import pytest

from tests.builders import build_org


@pytest.fixture
def org(db):
    return build_org()
