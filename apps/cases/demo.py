"""The cases' part of the demo street: six weeks of patrol findings in every state of the
loop, at the hours and on the days they would have happened.

Each case's life is planned first: reported during patrol hours (residents and the 12345
hotline at any waking hour), 立案 within working hours, 派遣 within a working day, 处置 and
核查 before the deadline or after it as the community's punctuality has it, some 返工, a
few 挂账 or never handled. The plan is then lived through the real services, step by
step, as far as today reaches, so a recent case is still open and an old one closed.

The services stamp everything "now". `retime_case` then moves the case's history to the
planned moments: timeline, audit rows, notifications, photos and the case's own times,
with every deadline recomputed over the working calendar from the moved dispatch, so the
statistics (平均结案时长, 按期结案率, 超期) read a believable month. The audit rows are
moved with a queryset `update()`: audit events are append-only through `save()`, and the
demo is the one writer allowed to back-date them, because it writes a past that never ran.
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.core.audit_guard import audit_maintenance
from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.notifications.models import Notification
from apps.notifications.selectors import notifications_about
from apps.organization.models import Unit
from apps.worktime.calendar import WorkCalendar
from apps.worktime.holidays import ensure_calendar

from . import rollups, services
from .categories import ensure_categories
from .choices import CaseSource, CaseStatus
from .models import Case, CaseEvent, CasePhoto, Category
from .routing import suggest_assignees

DESCRIPTIONS = {
    "exposed_garbage": "楼道口堆放生活垃圾未清运",
    "bin_overflow": "垃圾桶满溢，周边散落垃圾",
    "dead_corner": "绿化带内卫生死角，积存杂物",
    "clutter": "楼下空地乱堆建筑材料",
    "graffiti": "单元门口张贴小广告",
    "road_occupation": "商户占道摆放货物",
    "outside_business": "餐馆在店外经营摆桌",
    "parking": "僵尸车长期占用车位",
    "sewage": "下水道堵塞污水外溢",
    "breeding_site": "废弃轮胎积水孳生蚊虫",
    "poultry": "居民在绿地散养家禽",
    "toilet_dirty": "公厕地面污渍、异味重",
    "hanging": "树木间乱拉晾衣绳",
    "mobile_vendor": "流动摊贩在路口摆摊",
}
DAYS_BACK = 42  # reports spread over the last six weeks
# Each community's share of steps done before the deadline (in turn): some prompt, some slow,
# so that 按期结案率 ranges over about 60–90 %.
PUNCTUALITY = (0.8, 0.76, 0.7, 0.84, 0.74, 0.66)
REWORK_SHARE = 0.15
UNREAD_SHARE = 0.25  # messages some people never open, besides those too recent to have been read
DEADLINE_FORMAT = "%Y-%m-%d %H:%M"  # as the services write it into timelines and messages

# Steps whose moment follows from the deadline (escalation) or the answer time, not from a plan.
ESCALATION_AFTER_HOURS = {
    "remind": lambda: 0,
    "supervise": lambda: settings.CASE_SUPERVISE_AFTER_HOURS,
    "list": lambda: settings.CASE_BULLETIN_AFTER_HOURS,
}
AUDIT_ACTIONS = {
    "report": "cases.case.reported",
    "hotline_view": "cases.case.hotline_viewed",
    "hotline_answer": "cases.case.hotline_answer",
    "photo": "cases.case.photo_added",
    "hotline_overdue": None,
}
NOTIFICATION_KINDS = {
    "dispatch": "dispatched",
    "handle": "handled",
    "verify_fail": "rework",
    "dispute": "returned",
    "remind": "remind",
    "supervise": "supervise",
    "list": "list",
    "hotline_overdue": "hotline_overdue",
}


def demo_photo(rng: random.Random, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 600), rng.randint(0, 440)
        draw.rectangle(
            [x, y, x + rng.randint(10, 60), y + rng.randint(10, 40)], fill=tuple(rng.randint(0, 255) for _ in range(3))
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


# The builder ---------------------------------------------------------------------------------


def build(demo) -> None:
    """Categories, the working calendar and `demo.case_count` cases of the demo street.

    Reads `demo.estates`, `demo.communities` and the demo accounts; adds `demo.punctuality`
    (community pk -> share of steps done on time), which `advance_case` uses for cases that
    other apps open (inspection findings).
    """
    ensure_categories()
    ensure_calendar()
    rng = demo.rng
    demo.punctuality = {c.pk: PUNCTUALITY[i % len(PUNCTUALITY)] for i, c in enumerate(demo.communities)}
    cast = _Cast(demo)
    categories = list(Category.objects.filter(parent__isnull=False, code__in=DESCRIPTIONS).order_by("id"))
    first_notification = last_notification_id()
    reports = []
    for _index in range(demo.case_count):
        source = rng.choice([CaseSource.PATROL] * 6 + [CaseSource.RESIDENT, CaseSource.HOTLINE, CaseSource.INSPECTION])
        reports.append((_report_moment(demo, source), source, rng.choice(demo.estates), rng.choice(categories)))
    reports.sort(key=lambda report: report[0])  # case numbers follow the days they were reported
    plans = [
        _plan_life(demo, cast.calendar, category, reported_at, source, _punctuality(demo, estate))
        for reported_at, source, estate, category in reports
    ]
    _ensure_a_suspension(demo, cast.calendar, plans)
    for index, ((_reported_at, source, estate, category), steps) in enumerate(zip(reports, plans, strict=True)):
        _report_and_live(demo, cast, index, steps, source, estate, category)
    escalate(demo)
    read_notifications(demo, after_id=first_notification)


def advance_case(case: Case, demo, *, at: datetime) -> Case:
    """Live on a case another app's service opened at `at` (an inspection finding: reported, and
    for a unit registered and dispatched in the same go): move those steps to `at`, then 立案 and
    派遣 where still due, 处置 and 核查 as the community's punctuality has it, as far as today reaches."""
    rng, cast = demo.rng, _Cast(demo)
    calendar = cast.calendar
    done = [at + timedelta(seconds=i) for i in range(case.events.count())]
    steps, moment = [], done[-1]
    if case.status == CaseStatus.REPORTED:
        moment = calendar.add_working_hours(moment, rng.uniform(0.2, 2.5))
        steps.append(("register", moment))
    if case.status in (CaseStatus.REPORTED, CaseStatus.REGISTERED):
        moment = calendar.add_working_hours(moment, rng.uniform(0.2, 4))
        steps.append(("dispatch", moment))
    if case.status in (CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.DISPATCHED):
        steps += _plan_fix(demo, calendar, case.category, moment, _punctuality(demo, case.jurisdiction))
    case, moments = _live(demo, cast, case, steps, label=f"f{case.pk}")
    return retime_case(case, done + moments, calendar=calendar)


def escalate(demo) -> None:
    """Run the escalation ladder now, then date each 催办/督办/通报 when it would have come:
    at the deadline and after the configured working hours past it."""
    after = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
    services.cases_escalate(now=demo.now)
    calendar = WorkCalendar()
    for case in Case.objects.filter(events__id__gt=after).distinct():
        retime_case(case, calendar=calendar)


def last_notification_id() -> int:
    return Notification.objects.aggregate(last=Max("id"))["last"] or 0


def read_notifications(demo, *, after_id: int) -> None:
    """People open their messages within a few working hours, and leave some unread for good;
    the ones that came in too recently are still unread."""
    rng, calendar = demo.rng, WorkCalendar()
    read = []
    for notification in Notification.objects.filter(id__gt=after_id).order_by("id").only("id", "created_at"):
        lag = rng.expovariate(1 / 4)
        moment = calendar.add_working_hours(notification.created_at, lag) + timedelta(minutes=rng.randint(1, 20))
        if rng.random() >= UNREAD_SHARE and moment < demo.now:
            notification.read_at = moment
            read.append(notification)
    Notification.objects.bulk_update(read, ["read_at"], batch_size=500)


# Planning a life -----------------------------------------------------------------------------


def _at(day: date, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min) + timedelta(minutes=minutes))


def _report_moment(demo, source: str) -> datetime:
    """Patrols report in working hours (some in the evening), rarely at weekends; residents and
    callers at any waking hour."""
    rng = demo.rng
    while True:
        day = demo.today - timedelta(days=rng.randint(0, DAYS_BACK))
        if source in (CaseSource.RESIDENT, CaseSource.HOTLINE):
            minutes = rng.randint(7 * 60, 22 * 60)
        else:
            if day.weekday() >= 5 and rng.random() < 0.7:
                continue
            evening = rng.random() < 0.12
            minutes = rng.randint(18 * 60, 21 * 60) if evening else rng.randint(8 * 60 + 30, 17 * 60 + 30)
        moment = _at(day, minutes)
        if moment < demo.now - timedelta(minutes=20):
            return moment


def _punctuality(demo, place) -> float:
    community = next((c for c in demo.communities if place.path.startswith(c.path)), None)
    return demo.punctuality.get(community.pk if community else None, sum(PUNCTUALITY) / len(PUNCTUALITY))


def _plan_life(demo, calendar, category, reported_at, source, punctuality) -> list[tuple[str, datetime]]:
    """The whole planned life of one report: [(step, moment)], in order."""
    rng = demo.rng
    steps = [("report", reported_at)]
    moment = reported_at
    if source == CaseSource.HOTLINE:
        moment = calendar.add_working_hours(moment, rng.uniform(0.1, 0.6))
        steps.append(("hotline_view", moment))
    fate = rng.random()
    if fate < 0.04:  # not a matter for the campaign
        steps.append(("reject", calendar.add_working_hours(moment, rng.uniform(0.3, 3))))
        return steps
    moment = calendar.add_working_hours(moment, rng.uniform(0.2, 2.5))
    steps.append(("register", moment))
    if source == CaseSource.HOTLINE:  # the caller is told the case is being handled
        steps.append(("hotline_answer", calendar.add_working_hours(moment, rng.uniform(0.5, 5))))
    moment = calendar.add_working_hours(moment, rng.uniform(0.2, 4))
    steps.append(("dispatch", moment))
    if fate < 0.07:  # cannot be fixed now: 挂账
        steps.append(("suspend", calendar.add_working_hours(moment, rng.uniform(3, 20))))
    elif fate >= 0.15:  # the rest (8 %) are never handled: overdue once their deadline passes
        steps += _plan_fix(demo, calendar, category, moment, punctuality)
    return sorted(steps, key=lambda step: step[1])


def _ensure_a_suspension(demo, calendar, plans) -> None:
    """Every demo shows a 挂账 case: when no planned suspension falls before now (a small demo
    built at some hours has none), the oldest case that would stay untouched after its dispatch
    is suspended three working hours after it. Uses no random draw, so the other cases' lives
    stay exactly as planned."""
    cutoff = demo.now - timedelta(minutes=10)
    if any(action == "suspend" and moment <= cutoff for plan in plans for action, moment in plan):
        return
    for plan in plans:
        actions = [action for action, _moment in plan]
        if actions[-1] != "dispatch":
            continue
        moment = calendar.add_working_hours(plan[-1][1], 3)
        if moment <= cutoff:
            plan.append(("suspend_planned", moment))
            return


def _plan_fix(demo, calendar, category, dispatched_at, punctuality) -> list[tuple[str, datetime]]:
    """处置 and 核查 after a dispatch; on time (核查 before the deadline) with the given share,
    otherwise 1–14 working hours after it; now and then 核查 fails and the unit works again."""
    rng = demo.rng
    steps = []
    start, rework = dispatched_at, rng.random() < REWORK_SHARE
    while True:
        deadline = calendar.add(start, category.deadline_amount, category.deadline_unit)
        if rng.random() < punctuality:
            handled = calendar.add_working_hours(
                start, calendar.working_hours_between(start, deadline) * rng.uniform(0.15, 0.6)
            )
            checked = calendar.add_working_hours(
                handled, calendar.working_hours_between(handled, deadline) * rng.uniform(0.25, 0.85)
            )
        else:
            handled = calendar.add_working_hours(deadline, rng.uniform(1, 14))
            checked = calendar.add_working_hours(handled, rng.uniform(1, 7))
        steps.append(("handle", handled))
        if not rework:
            steps.append(("verify_pass", checked))
            return steps
        steps.append(("verify_fail", checked))
        start, rework = checked, False


# Living it through the services ----------------------------------------------------------------


class _Cast:
    """Who does what in the demo: the grid worker reports in their grid, the community's
    account handles its community, the street the rest; the unit's contact fixes its cases."""

    def __init__(self, demo):
        self.calendar = WorkCalendar()
        accounts = {u.username: u for u in User.objects.select_related("jurisdiction", "unit")}
        self.street, self.inspector, self.grid = accounts["street"], accounts["inspector"], accounts.get("grid")
        self.communities = [u for u in accounts.values() if u.role == Role.COMMUNITY and u.jurisdiction_id]
        self.units = {u.unit_id: u for u in accounts.values() if u.role == Role.UNIT_CONTACT and u.unit_id}

    def reporter(self, source: str, place):
        if source == CaseSource.RESIDENT:
            return None  # residents report without an account
        if source == CaseSource.INSPECTION:
            return self.inspector
        if source == CaseSource.PATROL and self.grid and place.path.startswith(self.grid.jurisdiction.path):
            return self.grid
        return self.street

    def dispatcher(self, case: Case, unit: Unit | None = None):
        paths = [case.jurisdiction.path] + ([unit.jurisdiction.path] if unit else [])
        own = (u for u in self.communities if all(p.startswith(u.jurisdiction.path) for p in paths))
        return next(own, self.street)

    def handler(self, case: Case):
        return self.units.get(case.assignee_unit_id) or self.dispatcher(case)

    def checker(self, case: Case, rng):
        return self.inspector if rng.random() < 0.7 else self.dispatcher(case)


# Who called the hotline or reported on the public page (names and numbers as residents give them).
CALLERS = ["王女士", "李先生", "张阿姨", "刘师傅", "陈女士", "杨先生", "赵大爷", "周女士"]


def _caller(source: str, index: int) -> dict:
    """A caller's name and phone for hotline and resident reports, derived from the index (not
    from the demo's random stream, which the rest of the demo depends on)."""
    if source not in (CaseSource.HOTLINE, CaseSource.RESIDENT):
        return {}
    return {"reporter_name": CALLERS[index % len(CALLERS)], "reporter_phone": f"139{(index * 7919) % 10**8:08d}"}


def _report_and_live(demo, cast, index, steps, source, estate, category) -> None:
    rng = demo.rng
    ring = estate.boundary["coordinates"][0]
    case = services.case_report(
        actor=cast.reporter(source, estate),
        category=category,
        source=source,
        description=DESCRIPTIONS[category.code],
        address=estate.name.split("（")[0],
        lat=round(rng.uniform(ring[0][1], ring[2][1]), 6),
        lng=round(rng.uniform(ring[0][0], ring[2][0]), 6),
        photos=[demo_photo(rng, f"b{index}")],
        hotline_ticket=f"12345-{index:05d}" if source == CaseSource.HOTLINE else "",
        received_at=steps[0][1],
        **_caller(source, index),
    )
    case, moments = _live(demo, cast, case, steps[1:], label=str(index))
    retime_case(case, [steps[0][1], *moments], calendar=cast.calendar)


def _live(demo, cast, case, steps, *, label) -> tuple[Case, list[datetime]]:
    """Take the planned steps through the services, up to now; the moments of those taken."""
    taken = []
    for action, moment in steps:
        if moment > demo.now - timedelta(minutes=10):
            break
        case = _step(demo, cast, case, action, label)
        taken.append(moment)
    return case, taken


def _step(demo, cast, case, action, label) -> Case:
    rng = demo.rng
    if action == "hotline_view":
        return services.case_hotline_viewed(actor=cast.street, case=case)
    if action == "hotline_answer":
        return services.case_hotline_answer(actor=cast.street, case=case, answer="已受理，已派社区和责任单位处理。")
    if action == "reject":
        return services.case_reject(actor=cast.dispatcher(case), case=case, reason="经核实不属于创卫问题")
    if action == "register":
        return services.case_register(actor=cast.dispatcher(case), case=case)
    if action == "dispatch":
        unit = _responsible_unit(case, rng)
        return services.case_dispatch(actor=cast.dispatcher(case, unit), case=case, unit=unit)
    if action == "suspend":
        review_on = demo.today + timedelta(days=rng.randint(7, 30))
        plan = "需协调产权单位统一整治，纳入下月计划"
        return services.case_suspend(actor=cast.dispatcher(case), case=case, plan=plan, review_on=review_on)
    if action == "suspend_planned":  # see _ensure_a_suspension: no random draw
        plan = "需协调产权单位统一整治，纳入下月计划"
        return services.case_suspend(
            actor=cast.dispatcher(case), case=case, plan=plan, review_on=demo.today + timedelta(days=14)
        )
    if action == "handle":
        again = case.rework_count > 0
        return services.case_handle(
            actor=cast.handler(case),
            case=case,
            note="已返工" if again else "已安排人员整改",
            photos=[demo_photo(rng, f"{'r' if again else 'a'}{label}")],
        )
    if action == "verify_pass":
        return services.case_verify(actor=cast.checker(case, rng), case=case, passed=True)
    if action == "verify_fail":
        return services.case_verify(actor=cast.checker(case, rng), case=case, passed=False, note="整改不彻底")
    raise ValueError(action)


def _responsible_unit(case: Case, rng) -> Unit:
    suggestions = suggest_assignees(case)
    if suggestions:
        return suggestions[0].unit
    nearby = list(Unit.objects.filter(jurisdiction__path__within=case.jurisdiction.path).order_by("id"))
    return rng.choice(nearby or list(Unit.objects.filter(unit_type__code="property").order_by("id")))


# Moving a history back in time ---------------------------------------------------------------


def retime_case(case: Case, moments: list[datetime] | None = None, *, calendar: WorkCalendar | None = None) -> Case:
    """Move a case's history to the moments it should have happened at.

    `moments[i]` is when the i-th step taken on the case happened (its i-th timeline event,
    leaving out escalations and hotline alerts, whose moments follow from the deadline and
    the answer time). Without `moments` the events keep the moments they have (used after
    escalating). Each event's audit row, notifications and photos get its moment; the case's
    own times are replayed from the events: deadlines over the working calendar from each
    dispatch or failed 核查, 按期处置/按期结案 against the deadline in force, the hotline's
    answer time, and the case number from the report day.
    """
    calendar = calendar or WorkCalendar()
    case = Case.objects.select_related("category").get(pk=case.pk)
    planned = iter(moments) if moments is not None else None
    audits: dict[str, list[AuditEvent]] = {}
    for audit in AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
    ).order_by("id"):
        audits.setdefault(audit.action, []).append(audit)
    notifications = list(notifications_about(case).order_by("id"))
    state = dict.fromkeys(
        [
            "created_at",
            "registered_at",
            "dispatched_at",
            "clock_started_at",
            "deadline_at",
            "handled_at",
            "handled_on_time",
            "closed_at",
            "closed_on_time",
            "answer_due_at",
            "viewed_at",
            "answered_at",
        ]
    )
    old_code = case.code
    steps = []
    for event in case.events.order_by("id"):
        action = event.action
        if action in ESCALATION_AFTER_HOURS:  # the beat escalates as soon as the working hours have passed
            hours = ESCALATION_AFTER_HOURS[action]()
            moment = calendar.add_working_hours(state["deadline_at"], hours) if hours else state["deadline_at"]
        elif action == "hotline_overdue":
            moment = state["answer_due_at"]
        else:
            moment = next(planned) if planned is not None else event.created_at
        deadline_text = _replay(state, case, action, moment, calendar)
        steps.append((event, moment, deadline_text))
    new_code = f"AJ{timezone.localtime(state['created_at']):%Y%m%d}{case.pk:06d}"

    def recode(text: str) -> str:
        return text.replace(old_code, new_code) if old_code else text

    for event, moment, deadline_text in steps:
        old_deadline = event.data.get("deadline") if isinstance(event.data, dict) else None
        data = {**event.data, "deadline": deadline_text} if deadline_text and old_deadline else event.data
        CaseEvent.objects.filter(pk=event.pk).update(created_at=moment, data=data, note=recode(event.note))
        CasePhoto.objects.filter(event=event).update(created_at=moment)
        audit_action = AUDIT_ACTIONS.get(event.action, f"cases.case.{event.action}")
        if audit_action and audits.get(audit_action):
            audit = audits[audit_action].pop(0)
            audit_data = {**audit.data, "deadline": deadline_text} if "deadline" in audit.data else audit.data
            with audit_maintenance():  # the demo's invented history is dated after the fact
                AuditEvent.objects.filter(pk=audit.pk).update(
                    occurred_at=moment, data=audit_data, object_repr=recode(audit.object_repr)
                )
        for notification in _take_notifications(notifications, NOTIFICATION_KINDS.get(event.action)):
            message = recode(notification.message)
            params = {k: recode(v) if isinstance(v, str) else v for k, v in notification.params.items()}
            title_params = {k: recode(v) if isinstance(v, str) else v for k, v in notification.title_params.items()}
            if old_deadline and deadline_text:
                message = message.replace(old_deadline, deadline_text)
                params = {k: deadline_text if v == old_deadline else v for k, v in params.items()}
            Notification.objects.filter(pk=notification.pk).update(
                created_at=moment,
                message=message,
                params=params,
                title=recode(notification.title),
                title_params=title_params,
            )
    previous_created_at = case.created_at
    Case.objects.filter(pk=case.pk).update(**state, code=new_code, updated_at=steps[-1][1])
    case.refresh_from_db()
    case.log_rollup_change(previous_created_at=previous_created_at)  # its month may have moved
    return case


def _replay(state: dict, case: Case, action: str, moment: datetime, calendar: WorkCalendar) -> str | None:
    """Apply one step's effect on the case's times (as its service does); the new deadline's text, if it set one."""
    category = case.category
    if action == "report":
        state["created_at"] = moment
        if case.source == CaseSource.HOTLINE:
            state["answer_due_at"] = calendar.add_working_days(moment, settings.CASE_HOTLINE_ANSWER_DAYS)
    elif action == "register":
        state["registered_at"] = moment
    elif action in ("dispatch", "verify_fail"):
        if action == "dispatch":
            state["dispatched_at"] = moment
            state["registered_at"] = state["registered_at"] or moment
        else:
            state["handled_at"] = None
        state["clock_started_at"] = moment
        state["deadline_at"] = calendar.add(moment, category.deadline_amount, category.deadline_unit)
        return timezone.localtime(state["deadline_at"]).strftime(DEADLINE_FORMAT)
    elif action == "handle":
        state["handled_at"] = moment
        state["handled_on_time"] = bool(state["deadline_at"] and moment <= state["deadline_at"])
    elif action == "verify_pass":
        state["closed_at"] = moment
        state["closed_on_time"] = bool(state["deadline_at"] and moment <= state["deadline_at"])
    elif action == "hotline_view":
        state["viewed_at"] = moment
    elif action == "hotline_answer":
        state["answered_at"] = moment
    return None


def _take_notifications(pending: list[Notification], kind: str | None) -> list[Notification]:
    """The notifications one step sent: the next run of `kind`, one per recipient."""
    taken, recipients = [], set()
    while kind and pending and pending[0].kind == kind and pending[0].recipient_id not in recipients:
        recipients.add(pending[0].recipient_id)
        taken.append(pending.pop(0))
    return taken


def build_rollups(demo) -> None:
    rollups.rollups_rebuild()
