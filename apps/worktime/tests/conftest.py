import pytest

from apps.worktime.holidays import ensure_calendar


@pytest.fixture
def holidays(db):
    """The 2026 holidays and make-up days (the migrations seed them too; this makes it explicit)."""
    ensure_calendar()
