"""The boards and smoke-free demo builds through the real services (the tiny demo)."""

import pytest
from django.utils import timezone

from apps.education.models import Board, BoardUpdatePhoto, SmokeFreeCheck, SmokeFreePlace

pytestmark = pytest.mark.django_db


def test_tiny_demo_builds_boards_and_places():
    from apps.demo.services import demo_build

    demo_build(case_count=12, inspection_months=0)
    today = timezone.localdate()
    assert 2 <= Board.objects.count() <= 3
    assert BoardUpdatePhoto.objects.count() <= 1
    assert not Board.objects.filter(updates__updated_on=today).exists()
    assert 1 <= SmokeFreePlace.objects.count() <= 2
    failed = SmokeFreeCheck.objects.get(result="fail")
    assert failed.case_codes
