"""Every page and API endpoint: anonymous -> login, wrong role -> 403, other jurisdiction -> 404.

The rows come from each app's `entries.py` (`AccessRow`); the objects they address come from
each app's `tests/world.py`, built lazily: a row that asks for `o.sheet` builds the worlds, in
app order, until one provides it, so a page of the organisation never waits for inspections.
"""

import io

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from apps.cases.tests.conftest import jpeg
from apps.core.checks import unlisted_urls
from apps.core.registry import registry
from apps.core.testing import assert_access
from apps.organization.models import GroupMember, License

pytestmark = pytest.mark.django_db

ROWS = registry.access_rows()


class _Rewinding(io.BytesIO):
    """A file that each of the four requests of one row sends again from the start."""

    name = "photo.jpg"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


class World:
    """The test organisation, extended on demand by the apps' world builders."""

    def __init__(self, org):
        self.__dict__.update(org.__dict__)
        self._pending = list(registry.access_worlds())

    def __getattr__(self, name):
        pending = self.__dict__.get("_pending", [])
        while pending:
            import_string(pending.pop(0))(self)
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(name)

    def jpeg(self):
        return jpeg()

    def rewinding_jpeg(self):
        return _Rewinding(jpeg().read())


@pytest.fixture
def world(org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return World(org)


def test_every_url_is_in_the_access_matrix():
    missing = unlisted_urls()
    assert not missing, f"add AccessRows for these URLs in their app's entries.py: {sorted(missing)}"


def test_every_api_route_is_in_the_matrix():
    from config.urls import router

    names = {f"{basename}-{suffix}" for _prefix, _viewset, basename in router.registry for suffix in ("list", "detail")}
    # Every list and detail route has its row; rows of extra actions (a questionnaire's step) come on top.
    assert names <= {row.url_name for row in ROWS if row.api}


@pytest.mark.parametrize("row", ROWS, ids=[row.url_name for row in ROWS])
def test_access(client, world, row):
    url = reverse(row.url_name, args=row.args(world) if row.args else None)
    assert_access(
        client,
        url,
        allowed=getattr(world, row.allowed),
        other=getattr(world, row.other) if row.other else None,
        forbidden=getattr(world, row.forbidden) if row.forbidden else None,
        method=row.method,
        data=row.data(world) if row.data else {},
        ok_status=(302,) if row.method == "post" and not row.json else (200,),
        api=row.api,
    )


def test_license_add_really_adds_only_for_allowed(client, world):
    client.force_login(world.community)
    client.post(
        reverse("organization:license_add", args=[world.unit_a1.pk]),
        {"kind": "卫生许可证", "number": "W-9", "expires_on": "2027-01-01"},
    )
    assert License.objects.filter(unit=world.unit_a1, number="W-9").exists()
    client.force_login(world.community_other)
    client.post(
        reverse("organization:license_add", args=[world.unit_a1.pk]),
        {"kind": "卫生许可证", "number": "W-10", "expires_on": "2027-01-01"},
    )
    assert not License.objects.filter(number="W-10").exists()


def test_member_remove_by_other_jurisdiction_changes_nothing(client, world):
    client.force_login(world.community_b)
    response = client.post(reverse("organization:group_member_remove", args=[world.group_a1.pk, world.member.pk]))
    assert response.status_code == 404
    assert GroupMember.objects.filter(pk=world.member.pk).exists()
