"""Seed data: public holidays and make-up working days (调休) announced by the State Council.

Administrators edit the calendar per year in the app; these rows only pre-fill it.
Check a new year's notice (国务院办公厅关于节假日安排的通知) before relying on it.
"""

# (date, is_workday, note)
HOLIDAYS_2026 = [
    ("2026-01-01", False, "元旦"),
    ("2026-01-02", False, "元旦"),
    ("2026-01-03", False, "元旦"),
    ("2026-01-04", True, "元旦调休上班"),
    ("2026-02-14", True, "春节调休上班"),
    *[(f"2026-02-{d:02d}", False, "春节") for d in range(15, 24)],
    ("2026-02-28", True, "春节调休上班"),
    ("2026-04-04", False, "清明节"),
    ("2026-04-05", False, "清明节"),
    ("2026-04-06", False, "清明节"),
    *[(f"2026-05-{d:02d}", False, "劳动节") for d in range(1, 6)],
    ("2026-05-09", True, "劳动节调休上班"),
    ("2026-06-19", False, "端午节"),
    ("2026-06-20", False, "端午节"),
    ("2026-06-21", False, "端午节"),
    ("2026-09-20", True, "国庆节调休上班"),
    ("2026-09-25", False, "中秋节"),
    ("2026-09-26", False, "中秋节"),
    ("2026-09-27", False, "中秋节"),
    *[(f"2026-10-{d:02d}", False, "国庆节") for d in range(1, 8)],
    ("2026-10-10", True, "国庆节调休上班"),
]


def ensure_calendar(calendar_model=None) -> None:
    """Pre-fill the calendar with the known holidays (existing rows are left as edited)."""
    from datetime import date

    if calendar_model is None:
        from .models import CalendarDay as calendar_model
    for day, is_workday, note in HOLIDAYS_2026:
        calendar_model.objects.get_or_create(
            date=date.fromisoformat(day), defaults={"is_workday": is_workday, "note": note}
        )
