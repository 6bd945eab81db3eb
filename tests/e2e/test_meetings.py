"""Done means (issue 11 §1): a community holds a 例会 with phone sign-in (390×844) and two
decisions; the minutes .docx is downloaded and opened (header, points, decisions, sign-in list);
the decisions appear as tasks of the campaign and at the next meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from apps.accounts.models import User
from apps.campaigns.models import Campaign, Task
from apps.meetings.models import Meeting
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = [pytest.mark.browser]

TOPIC = "东苑社区创卫周例会（测试）"
FIRST = "清理幸福小区楼道堆积物"
SECOND = "更新社区创卫宣传栏"


def test_community_holds_a_regular_meeting(new_page, demo):
    east = demo.communities[0]
    grid = User.objects.get(username="grid")
    unit_user = User.objects.get(username="unit")
    campaign = Campaign.objects.get(jurisdiction=demo.street, parent=None)
    # 20 minutes ago, but today: just after midnight the meeting day must not be yesterday's.
    now = timezone.localtime()
    start = max(now - timedelta(minutes=20), now.replace(hour=0, minute=0, second=0, microsecond=0))
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()

    # The community plans the 例会 (weekly), invites the grid worker and the property company.
    desk = new_page()
    login(desk, "dongyuan")
    desk.goto("/meetings/new/")
    desk.select_option("#id_kind", "regular")
    desk.select_option("#id_recurrence", "weekly")
    desk.fill("#id_topic", TOPIC)
    desk.select_option("#id_jurisdiction", str(east.pk))
    desk.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    desk.fill("#id_place", "东苑社区会议室")
    desk.fill("#id_host", "孙丽华")
    desk.check(f"input[name=people][value='{grid.pk}']")
    desk.select_option("#id_units", [str(unit_user.unit_id)])
    desk.select_option("#id_campaign", str(campaign.pk))
    desk.click("[data-testid=meeting-save]")
    desk.wait_for_selector("[data-testid=signin-qr] svg")
    meeting = Meeting.objects.get(topic=TOPIC)
    assert desk.inner_text("[data-testid=attendance]") == "0/2"

    # The grid worker signs in on a phone from the QR code's page.
    phone = new_page(viewport=PHONE)
    login(phone, "grid")
    phone.goto(f"/meetings/{meeting.pk}/signin/")
    phone.click("[data-testid=sign-in]")
    phone.wait_for_selector("[data-testid=signed]")
    assert_no_horizontal_overflow(phone)
    shot(phone, "meetings-phone-signed")

    # The recorder signs the unit's contact in from the phone list.
    recorder = new_page(viewport=PHONE)
    login(recorder, "dongyuan")
    recorder.goto(f"/meetings/{meeting.pk}/signin/")
    row = meeting.attendees.get(user=unit_user)
    recorder.click(f"[data-testid=sign-for-{row.pk}]")
    recorder.wait_for_selector("[data-testid=signin-count]:has-text('2/2')")
    assert_no_horizontal_overflow(recorder)
    shot(recorder, "meetings-phone-recorder")

    # The record of the meeting and two decisions.
    desk.goto(f"/meetings/{meeting.pk}/")
    desk.click("[data-testid=meeting-hold]")
    desk.fill("#id_points", "传达街道创卫办本周工作要求\n部署背街小巷卫生死角清理")
    desk.click("[data-testid=hold-save]")
    desk.wait_for_selector("[data-testid=meeting-status]:has-text('已召开')")
    for text, owner in (
        (FIRST, ("#id_owner_unit", str(unit_user.unit_id))),
        (SECOND, ("#id_owner_user", str(grid.pk))),
    ):
        desk.fill("#id_text", text)
        desk.select_option(*owner)
        desk.fill("#id_deadline", deadline)
        desk.click("[data-testid=decision-save]")
        desk.wait_for_selector(f"[data-testid=decision-table] >> text={text}")
    assert desk.inner_text("[data-testid=attendance-rate]") == "100.0%"
    shot(desk, "meetings-detail")

    # The minutes, downloaded and opened.
    with desk.expect_download() as download:
        desk.click("[data-testid=minutes-download]")
    document = Document(str(download.value.path()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "东苑社区创卫工作会议记录"
    assert "1、传达街道创卫办本周工作要求" in paragraphs and "2、部署背街小巷卫生死角清理" in paragraphs
    header = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert header["地点"] == "东苑社区会议室" and header["主持人"] == "孙丽华" and header["会议主题"] == TOPIC
    assert grid.display_name in header["参加对象"] and unit_user.unit.name in header["参加对象"]
    decisions = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert decisions[1][2] == FIRST and decisions[1][3] == unit_user.unit.name and decisions[1][4] == deadline
    assert decisions[2][2] == SECOND and decisions[2][4] == deadline
    signin = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    methods = {r[1]: r[4] for r in signin[1:]}
    assert methods[grid.display_name] == "本人签到"
    assert "记录人代签" in methods.values()

    # The decisions are tasks of the street's campaign (origin 会议决定).
    desk.goto(f"/campaigns/{campaign.pk}/tasks/?origin=meeting")
    table = desk.inner_text("main")
    assert FIRST in table and SECOND in table
    assert Task.objects.filter(campaign=campaign, origin="meeting", title__in=[FIRST, SECOND]).count() == 2

    # The next meeting of the series shows them (上次会议议定事项落实情况).
    desk.goto(f"/meetings/{meeting.pk}/")
    desk.click("[data-testid=next-meeting]")
    review = desk.inner_text("[data-testid=last-decisions]")
    assert FIRST in review and SECOND in review
    shot(desk, "meetings-next")
