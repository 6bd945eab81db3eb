"""Issue 10's acceptance walk: a community's campaign from the standard to the binder, through the
pages only.

The office imports a standard from .xlsx (a bad row first: nothing imported), creates a campaign
for 东苑社区 with its four phases, starts it, generates the task table and hands the tasks to the
community worker. The worker finds a task on the home page, uploads a document from it, links a
closed case by hand and completes the task. The office adds the ledger's rules, and after 立即关联
an inspection sheet and a closed case of the community appear under their items. The
self-assessment shows readiness and the failing prerequisite first; a gap becomes a task; the
binder is exported and the test opens the .zip and its index.

Only what precedes the story is built in code: a sheet submitted and a case closed "in the field"
during the campaign.
"""

import io
import time
import zipfile
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.campaigns.models import Campaign, EvidenceDocument, EvidenceLink, Task
from apps.campaigns.tests.world_ledger import closed_case, pdf_bytes
from apps.imports.tests.helpers import workbook_bytes
from apps.inspections.models import ChecklistTemplate, Inspection
from apps.standards.models import Standard
from apps.standards.tests.helpers import HEADERS, row
from tests.worker import running_worker

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.worker]

CODE = "dongyuan-2026"
NAME = "东苑社区卫生社区标准（导入）"


def standard_rows() -> list[list]:
    """Three sections, five items (all badged 示例: the clause texts are made up)."""
    common = {"示例": "是"}
    return [
        row(
            CODE,
            标准名称=NAME,
            标准类别="省卫生社区",
            大项编号="0",
            大项名称="申报必备条件",
            小项编号="0.1",
            条文="建立病媒生物防制工作制度",
            类型="必备条件",
            所需资料="病媒生物防制制度",
            **common,
        ),
        row(
            CODE,
            大项编号="1",
            大项名称="爱国卫生组织管理",
            小项编号="1.1",
            条文="成立创卫领导小组",
            考核方法="查阅资料",
            类型="计分项",
            分值=4,
            所需资料="领导小组成立文件",
            **common,
        ),
        row(
            CODE,
            大项编号="1",
            小项编号="1.2",
            条文="群众反映的问题及时整改",
            类型="计分项",
            分值=2,
            所需资料="整改记录",
            **common,
        ),
        row(
            CODE,
            大项编号="2",
            大项名称="环境卫生",
            小项编号="2.1",
            条文="定期开展环境卫生检查",
            类型="计分项",
            分值=6,
            所需资料="检查记录",
            **common,
        ),
        row(
            CODE,
            大项编号="2",
            小项编号="2.2",
            条文="环境卫生问题按期结案",
            类型="计分项",
            分值=4,
            所需资料="结案记录",
            **common,
        ),
    ]


def _upload_standard(page, tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(workbook_bytes(HEADERS, rows))
    page.set_input_files("input[type=file]", str(path))
    page.click("text=上传并导入")


def _wait_status(page, selector, done=("succeeded", "failed"), seconds=60):
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.append(page.locator(selector).get_attribute("data-status"))
        if seen[-1] in done:
            break
        page.wait_for_timeout(150)
    return seen


def _field_records(area, day):
    """A sheet submitted and a case closed in 东苑社区 during the campaign ("in the field")."""
    template = ChecklistTemplate.objects.filter(current_version__isnull=False).order_by("id").first()
    sheet = Inspection.objects.create(
        checklist=template.current_version,
        target_jurisdiction=area,
        status="submitted",
        inspected_on=day,
        max_total=10,
        total=9,
        percent=90,
    )
    case = closed_case(None, "WALK-1", day, jurisdiction=area)
    return sheet, case


@pytest.fixture
def media(settings, tmp_path):
    """Before the demo is built: its case photos go into the binder too."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_community_campaign_from_standard_to_binder(media, new_page, demo, tmp_path):
    worker_user = User.objects.get(username="dongyuan")
    area = worker_user.jurisdiction
    today = date.today()
    sheet, case = _field_records(area, today - timedelta(days=10))
    pdf = tmp_path / "领导小组成立文件.pdf"
    pdf.write_bytes(pdf_bytes("leading group"))

    office = new_page()
    login(office, "cwb")
    with running_worker():
        # 1. The standard, from .xlsx: a bad row first, then the corrected file.
        office.click(".mainnav >> text=创建标准")
        office.get_by_test_id("import").click()
        bad = standard_rows()
        bad[2] = row(CODE, 大项编号="1", 小项编号="1.2", 条文="群众反映的问题及时整改", 类型="计分项")
        _upload_standard(office, tmp_path, "bad.xlsx", bad)
        office.wait_for_selector("#job-progress[data-status='failed']", timeout=30000)
        assert "4\t分值\t计分项请填写分值" in office.get_by_test_id("job-errors").inner_text()
        assert "未导入任何数据" in office.get_by_test_id("job-message").inner_text()
        shot(office, "walk-01-import-errors")
        assert not Standard.objects.filter(code=CODE).exists()

        office.goto("/data/standard_items/new/")
        _upload_standard(office, tmp_path, "good.xlsx", standard_rows())
        seen = _wait_status(office, "#job-progress")
        assert seen[-1] == "succeeded", office.get_by_test_id("job-message").inner_text()
        assert office.locator(".progress[aria-valuenow='100']").count() == 1
        assert "已导入 5 条记录" in office.get_by_test_id("job-message").inner_text()
        shot(office, "walk-02-import-done")
        office.goto("/standards/")
        office.click(f"text={NAME}")
        assert office.locator("h2[data-section='0']").inner_text().startswith("0 申报必备条件")
        assert office.locator("tr[data-item]").count() == 5
        shot(office, "walk-03-standard")
        version = Standard.objects.get(code=CODE).current_version
        items = {item.code: item for item in version.items.all()}

        # 2. The campaign for 东苑社区 with its four phases; start it; the task table; assign.
        office.click(".mainnav a:has-text('创建项目')")
        office.get_by_test_id("campaign-create").click()
        office.fill("#id_title", "东苑社区2026年创建省卫生社区")
        office.select_option("#id_level", "provincial_community")
        office.select_option("#id_jurisdiction", str(area.pk))
        office.select_option("#id_standard_version", label=f"{NAME}（第1版）")
        office.fill("#id_starts_on", (today - timedelta(days=30)).isoformat())
        assert [office.locator(f"#id_phases-{n}-name").input_value() for n in range(4)] == [
            "宣传发动",
            "自查整改",
            "查漏补缺",
            "考核验收",
        ]
        office.fill("#id_phases-0-starts_on", (today - timedelta(days=30)).isoformat())
        shot(office, "walk-04-campaign-form")
        office.get_by_test_id("campaign-save").click()
        office.wait_for_selector("[data-testid=campaign-title]")
        campaign = Campaign.objects.get(title="东苑社区2026年创建省卫生社区")
        assert campaign.jurisdiction == area and campaign.standard_version == version
        assert campaign.phases.count() == 4
        office.get_by_test_id("campaign-step-start").click()
        office.wait_for_selector("[data-testid=campaign-status]:has-text('创建中')")
        office.get_by_test_id("generate-tasks").click()
        office.wait_for_selector("[data-testid=task-table]")
        tasks = list(Task.objects.filter(campaign=campaign).order_by("item__section__sort", "item__sort", "id"))
        assert [t.item.code for t in tasks] == ["0.1", "1.1", "1.2", "2.1", "2.2"]
        office.get_by_test_id("select-all").check()
        assert all(office.get_by_test_id(f"select-{task.pk}").is_checked() for task in tasks)
        office.select_option("#bulk-assign select[name=assignee]", str(worker_user.pk))
        office.fill("#bulk-assign input[name=deadline]", (today + timedelta(days=7)).isoformat())
        office.get_by_test_id("bulk-assign-submit").click()
        office.wait_for_selector("text=已分配 5 项任务。")
        assert set(Task.objects.filter(campaign=campaign).values_list("assignee", "deadline")) == {
            (worker_user.pk, today + timedelta(days=7))
        }
        shot(office, "walk-05-task-table")

        # 3. The community: the task on the home page, a document, a linked record, completed.
        worker = new_page()
        login(worker, "dongyuan")
        task = tasks[1]  # 1.1
        panel = worker.get_by_test_id("my-campaign-tasks")
        shot(worker, "walk-06-home")
        panel.locator(f"a[href='/campaigns/tasks/{task.pk}/']").click()
        worker.get_by_test_id("task-upload").click()
        worker.fill("#id_title", "东苑社区创卫领导小组成立文件")
        worker.select_option("#id_requirement", label="1.1 领导小组成立文件")
        worker.set_input_files("#id_file", str(pdf))
        shot(worker, "walk-07-task-upload")
        worker.click("button:has-text('上传')")
        worker.wait_for_selector("text=资料已上传。")
        document = EvidenceDocument.objects.get(campaign=campaign, task=task)
        assert document.original_name == "领导小组成立文件.pdf"
        worker.goto(f"/campaigns/tasks/{task.pk}/")
        assert "东苑社区创卫领导小组成立文件" in worker.get_by_test_id("task-documents").inner_text()
        complete = worker.locator("form:has([data-testid=task-step-complete])")
        complete.locator("textarea[name=note]").fill("领导小组已成立，文件已印发并上传。")
        complete.get_by_test_id("task-step-complete").click()
        worker.wait_for_selector("[data-testid=task-status]:text('已完成')")
        assert worker.get_by_test_id("task-progress").inner_text().startswith("100%")
        shot(worker, "walk-08-task-done")

        # 1.2: from the task to its ledger item, where the closed case is linked by hand.
        worker.goto("/")
        worker.get_by_test_id("my-campaign-tasks").locator(f"a[href='/campaigns/tasks/{tasks[2].pk}/']").click()
        worker.get_by_test_id("task-ledger").click()
        worker.wait_for_url(f"**/campaigns/{campaign.pk}/ledger/items/{items['1.2'].pk}/")
        worker.select_option("select[name=source]", "cases.closed")
        worker.get_by_test_id("link-search").click()
        record = worker.get_by_test_id("records").locator(f"tr:has-text('{case.code}')")
        record.locator("select[name=requirement]").select_option(label="整改记录")
        record.get_by_test_id("link-record").click()
        worker.wait_for_selector("[data-testid=item-ready]:text('已完备')")
        shot(worker, "walk-09-linked")

        # 4. The rules and 立即关联: the sheet and the case appear under their items.
        office.goto(f"/campaigns/{campaign.pk}/ledger/")
        office.click("text=关联规则")
        for code, source, requirement in (
            ("2.1", "inspections.sheet", "检查记录"),
            ("2.2", "cases.closed", "结案记录"),
        ):
            office.select_option("#id_item", label=f"{code} {items[code].text}")
            office.select_option("#id_source", source)
            office.select_option("#id_requirement", label=f"{code} {requirement}")
            office.click("#rule-form button:has-text('保存')")
            office.wait_for_selector("text=关联规则已保存。")
        assert office.get_by_test_id("rules").locator("tr").count() == 3
        shot(office, "walk-10-rules")
        office.get_by_test_id("sync-now").click()  # back on the ledger when the job is queued
        office.wait_for_selector("[data-testid=ledger-sync][data-running='0']", timeout=30000)
        assert EvidenceLink.objects.filter(
            campaign=campaign, item=items["2.1"], source="inspections.sheet", object_id=str(sheet.pk), kind="rule"
        ).exists()
        assert EvidenceLink.objects.filter(
            campaign=campaign, item=items["2.2"], source="cases.closed", object_id=str(case.pk), kind="rule"
        ).exists()
        office.reload()
        assert office.locator("tr[data-item='2.1']").get_attribute("data-ready") == "1"
        assert office.locator("tr[data-item='2.2']").get_attribute("data-ready") == "1"
        assert office.get_by_test_id("campaign-readiness").inner_text() == "80.0%"  # 4 of 5: 0.1 lacks its file
        shot(office, "walk-11-ledger")
        office.click("tr[data-item='2.1'] a:text('2.1')")
        assert "检查" in office.get_by_test_id("pieces").inner_text()
        shot(office, "walk-12-ledger-item")

        # 5. Self-assessment: readiness and gaps, the prerequisite first; a gap becomes a task.
        office.goto(f"/campaigns/{campaign.pk}/")
        office.get_by_test_id("tab-assessment").click()
        assert office.get_by_test_id("readiness-percent").inner_text() == "80.0%"
        assert "必备条件尚未自查（0.1）" in office.get_by_test_id("prereq-banner").inner_text()
        form = office.get_by_test_id("assess-form-0.1")
        form.locator("select[name=result]").select_option("unmet")
        form.locator("textarea[name=note]").fill("防制制度尚未印发")
        form.locator("button[type=submit]").click()
        office.wait_for_selector("text=已保存 0.1 的自查结果")
        form = office.get_by_test_id("assess-form-1.1")
        form.locator("select[name=result]").select_option("met")
        form.locator("button[type=submit]").click()
        office.wait_for_selector("text=已保存 1.1 的自查结果")
        assert "必备条件未达标（0.1）" in office.get_by_test_id("prereq-banner").inner_text()
        assert office.get_by_test_id("total-score").inner_text() == "4/16"
        assert office.locator("tr[data-item]").first.get_attribute("data-item") == "0.1"
        shot(office, "walk-13-assessment")
        office.get_by_test_id("tab-gaps").click()
        gaps = office.get_by_test_id("gaps").locator("tr[data-item]")
        assert gaps.first.get_attribute("data-item") == "0.1"
        assert "缺少资料 病媒生物防制制度 0/1" in gaps.first.inner_text()
        assert "防制制度尚未印发" in gaps.first.inner_text()
        assert "1.1" not in [gaps.nth(i).get_attribute("data-item") for i in range(gaps.count())]
        gap = office.get_by_test_id("gap-task-0.1")
        gap.locator("select[name=jurisdiction]").select_option(str(area.pk))
        gap.locator("input[name=deadline]").fill((today + timedelta(days=14)).isoformat())
        gap.locator("button[type=submit]").click()
        office.wait_for_selector("text=已为 0.1 生成任务")
        shot(office, "walk-14-gaps")
        gap_task = Task.objects.get(campaign=campaign, origin="gap")
        assert gap_task.item == items["0.1"] and gap_task.jurisdiction == area
        office.get_by_test_id("tab-tasks").click()
        assert "自查缺项" in office.locator(f"#task-{gap_task.pk}").inner_text()
        shot(office, "walk-15-task-table-gap")

        # 6. The binder of 东苑社区.
        office.get_by_test_id("tab-binder").click()
        office.select_option("#id_jurisdiction", str(area.pk))
        office.click("text=生成台账压缩包")
        seen = _wait_status(office, "#binder-progress", seconds=60)
        assert seen[-1] == "succeeded", office.get_by_test_id("binder-message").inner_text()
    assert office.locator(".progress[aria-valuenow='100']").count() == 1
    shot(office, "walk-16-binder")
    with office.expect_download() as download:
        office.get_by_test_id("binder-download").click()
    archive = zipfile.ZipFile(download.value.path())
    members = set(archive.namelist())
    folders = {m.rsplit("/", 1)[0] for m in members if "/" in m}
    assert folders == {
        "00 申报必备条件/0.1 建立病媒生物防制工作制度",
        "01 爱国卫生组织管理/1.1 成立创卫领导小组",
        "01 爱国卫生组织管理/1.2 群众反映的问题及时整改",
        "02 环境卫生/2.1 定期开展环境卫生检查",
        "02 环境卫生/2.2 环境卫生问题按期结案",
    }
    uploaded = "01 爱国卫生组织管理/1.1 成立创卫领导小组/001 东苑社区创卫领导小组成立文件.pdf"
    assert archive.read(uploaded) == pdf.read_bytes()
    assert "00 申报必备条件/0.1 建立病媒生物防制工作制度/缺少资料.txt" in members
    case_file = f"{case.code} 暴露垃圾 东苑社区.docx"  # the case's record, generated
    assert f"01 爱国卫生组织管理/1.2 群众反映的问题及时整改/001 {case_file}" in members
    assert any(m.startswith("02 环境卫生/2.2 环境卫生问题按期结案/") and m.endswith(case_file) for m in members)
    sheet_files = [m for m in members if m.startswith("02 环境卫生/2.1 定期开展环境卫生检查/")]
    assert len(sheet_files) == 1 and sheet_files[0].endswith(".docx")
    for name in (uploaded, sheet_files[0], f"01 爱国卫生组织管理/1.2 群众反映的问题及时整改/001 {case_file}"):
        assert zipfile.is_zipfile(io.BytesIO(archive.read(name))) or name.endswith(".pdf")

    # The index lists every piece with its section, item, title and file.
    rows = list(load_workbook(io.BytesIO(archive.read("00 目录.xlsx"))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "大项", "小项", "资料名称")
    active = EvidenceLink.objects.filter(campaign=campaign, is_active=True).count()
    assert len(rows) == 1 + active
    listed = [(r[1], r[2], r[3]) for r in rows[1:]]
    assert listed[0] == ("01 爱国卫生组织管理", "1.1 成立创卫领导小组", "东苑社区创卫领导小组成立文件")
    case_title = f"{case.code} 暴露垃圾 东苑社区"
    assert ("01 爱国卫生组织管理", "1.2 群众反映的问题及时整改", case_title) in listed
    assert ("02 环境卫生", "2.2 环境卫生问题按期结案", case_title) in listed
    assert [r for r in listed if r[1].startswith("2.1")] == [
        ("02 环境卫生", "2.1 定期开展环境卫生检查", sheet_files[0].split("/")[-1][4:-5])
    ]
    document = Document(io.BytesIO(archive.read("00 目录.docx")))
    cells = {cell.text for table in document.tables for r in table.rows for cell in r.cells}
    assert {"东苑社区创卫领导小组成立文件", case_title, "1.1 成立创卫领导小组", "2.2 环境卫生问题按期结案"} <= cells
