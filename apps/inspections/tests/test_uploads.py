"""Issue 9: sheet and appeal photos are decoded before the service's transaction opens."""

import pytest
from django.db import connection

from apps.inspections import services
from apps.photos import services as photo_services

from .conftest import fill, jpeg
from .test_services import sheet_for, submit


@pytest.mark.django_db(transaction=True)
def test_sheet_and_appeal_photos_are_decoded_outside_the_transaction(org, checklist, monkeypatch):
    seen = []
    real = photo_services.process_upload

    def watched(upload):
        seen.append(connection.in_atomic_block)
        return real(upload)

    monkeypatch.setattr(photo_services, "process_upload", watched)
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1}, photos=["B"])
    sheet = submit(sheet, org.inspector, open_cases=False)
    result = sheet.results.get(item__code="B")
    appeal = services.appeal_submit(actor=org.unit_contact, result=result, reason="当天已清理", photos=[jpeg()])
    assert seen == [False, False]
    assert appeal.photos.count() == 1 and result.photos.count() == 1


def test_an_appeal_takes_at_most_six_photos(org, checklist):
    sheet = sheet_for(org, checklist, org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    sheet = submit(sheet, org.inspector, open_cases=False)
    result = sheet.results.get(item__code="B")
    with pytest.raises(photo_services.PhotoRefused, match="一次最多上传 6 张照片"):
        services.appeal_submit(actor=org.unit_contact, result=result, reason="x", photos=[jpeg() for _ in range(7)])
    assert not result.appeals.exists()
