import pytest

from apps.campaigns.tests.factories import build_campaigns


@pytest.fixture
def camp(org):
    """The test organisation with the campaigns' base: see factories.build_campaigns."""
    build_campaigns(org)
    return org
