"""The home-page panel education.boards_pending: the desk's overdue boards, None when none."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from apps.cases.tests.conftest import jpeg
from apps.education.services import boards as services
from apps.education.widgets.boards import boards_pending

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_pending_lists_overdue_boards_in_two_queries(org, django_assert_max_num_queries):
    today = timezone.localdate()
    installed = ((today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)).replace(day=1)
    board = services.board_create(
        actor=org.community, jurisdiction=org.grid_a1, name="甲栏", place="x", installed_on=installed
    )
    assert boards_pending(_request(org.community_other)) is None
    with django_assert_max_num_queries(2):
        context = boards_pending(_request(org.community))
        assert context["count"] == 1 and context["boards"][0].overdue
    services.board_update_record(actor=org.community, board=board, updated_on=today, topic="t", photos=[jpeg()])
    assert boards_pending(_request(org.community)) is None
