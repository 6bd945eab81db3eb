"""Bulk generation of agreements in the background (every street-front shop of an area, every 共建
unit, every child jurisdiction), with the progress its page polls.

Only parties without a current agreement of the type get one: a party whose latest agreement is
待签订, 拒签 or signed and in term is skipped (a refusal is re-offered one by one with 续签, not by
every bulk run); a party whose latest one expired or was cancelled gets a new one that records
what it renews. Agreements are written with `bulk_create` in chunks, each chunk in its own short
transaction; the job is audited once when started and once when finished (with the counts), and
every agreement keeps the job that made it, so its origin is on record without 28,000 audit rows.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, Unit, ZoneAssignment

from ..choices import AgreementStatus, JobStatus, RequiredRule
from ..models import Agreement, AgreementTemplate, AgreementType, GenerationJob
from .numbers import reserve_numbers

logger = logging.getLogger(__name__)
CHUNK = 1000


class JobAlreadyRunning(DomainError):
    pass


def _current_template_version(agreement_type: AgreementType):
    template = agreement_type.templates.filter(is_active=True, current_version__isnull=False).first()
    if template is None:
        raise DomainError(_("“{type}”没有可用的模板，请先在模板管理中维护。").format(type=agreement_type))
    return template.current_version


def _check_term(starts_on: date, ends_on: date | None, version) -> date:
    """The term's end (the template's default term when not given), refused when out of order or
    longer than ten years."""
    if ends_on is None:
        ends_on = add_months(starts_on, version.term_months) - timedelta(days=1)
    if ends_on < starts_on:
        raise DomainError(_("期限止不能早于期限起。"))
    if (ends_on - starts_on).days > 3660:
        raise DomainError(_("期限最长 10 年。"))
    return ends_on


def fail_stale(*, older_than: timedelta = timedelta(hours=2), **narrow) -> int:
    """Fail jobs a crashed worker left pending or running (so no page polls forever)."""
    now = timezone.now()
    killed_before = now - timedelta(seconds=settings.DATA_JOB_TIME_LIMIT + 60)
    stale = Q(status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__lt=now - older_than) | Q(
        status=JobStatus.RUNNING, started_at__lt=killed_before
    )
    return GenerationJob.objects.filter(stale, **narrow).update(
        status=JobStatus.FAILED, finished_at=now, message=_("生成任务超时未完成，请重新生成。")
    )


@transaction.atomic
def generation_start(
    *, actor, agreement_type: AgreementType, jurisdiction: Jurisdiction, starts_on: date, ends_on: date | None = None
) -> GenerationJob:
    """Queue the generation of `agreement_type` agreements issued by `jurisdiction` (inside the
    actor's area) to every party of the area that lacks a current one.

    Checks the role (add agreements), the area, the term (end after start; default the template's
    term) and that no job of the same type and area is still running (one left by a crashed worker
    is failed first). Audited; the job runs once the transaction commits."""
    ensure_role_allows(actor, Agreement, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    version = _current_template_version(agreement_type)
    ends_on = _check_term(starts_on, ends_on, version)
    # One lock per type: a street's job and one of its communities' jobs of the same type would
    # write the same parties (the second then fails on the one-latest-per-party constraint).
    AgreementType.objects.select_for_update().filter(pk=agreement_type.pk).first()
    fail_stale(agreement_type=agreement_type)
    overlapping = Q(jurisdiction__path__within=jurisdiction.path) | Q(jurisdiction_id__in=jurisdiction.ancestor_ids)
    running = (
        GenerationJob.objects.filter(overlapping, agreement_type=agreement_type)
        .filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        .select_related("jurisdiction")
        .first()
    )
    if running is not None:
        raise JobAlreadyRunning(
            _("{area} 的“{type}”正在生成（{when} 发起），请等待完成。").format(
                area=running.jurisdiction.name,
                type=agreement_type,
                when=f"{timezone.localtime(running.created_at):%H:%M}",
            )
        )
    job = GenerationJob.objects.create(
        agreement_type=agreement_type,
        template_version=version,
        jurisdiction=jurisdiction,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        obj=job,
        action="agreements.generation.started",
        data={"agreement_type": str(agreement_type), "jurisdiction": jurisdiction.name},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _enqueue(job_id: int) -> None:
    try:
        agreements_generate.delay(job_id)
    except Exception:
        if getattr(agreements_generate.app.conf, "task_always_eager", False):
            raise
        logger.exception("could not enqueue agreement generation %s", job_id)
        GenerationJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("后台任务服务不可用，请稍后重试或联系系统管理员。"),
        )


# Who gets one ----------------------------------------------------------------------------------


def generation_parties(agreement_type: AgreementType, area: Jurisdiction) -> list[dict]:
    """Every party of the area the type asks for, as plain values (a handful of queries):
    units of the listed types (operating) located in the area, and for target letters the
    area's direct children of the listed levels (then only the listed units not inside one)."""
    parties: list[dict] = []
    exclude_paths: list[str] = []
    if agreement_type.required_rule == RequiredRule.CHILDREN and agreement_type.party_levels:
        children = Jurisdiction.objects.filter(parent=area, level__code__in=agreement_type.party_levels).order_by(
            "path"
        )
        for child in children.values("pk", "name", "path"):
            parties.append(
                {"party_jurisdiction_id": child["pk"], "party_name": child["name"], "party_path": child["path"]}
            )
            exclude_paths.append(child["path"])
    if agreement_type.unit_types:
        units = Unit.objects.filter(
            jurisdiction__path__within=area.path,
            unit_type__code__in=agreement_type.unit_types,
            status=UnitStatus.OPERATING,
        )
        for path in exclude_paths:
            units = units.exclude(jurisdiction__path__within=path)
        zones = {}
        if agreement_type.zone_kind:
            held = ZoneAssignment.objects.filter(
                ends_on__isnull=True,
                unit__isnull=False,
                zone__kind=agreement_type.zone_kind,
                zone__jurisdiction__path__within=area.path,
            ).values_list("unit_id", "zone_id")
            zones = dict(held)
        for unit in units.order_by("jurisdiction__path", "name", "pk").values("pk", "name", "jurisdiction__path"):
            parties.append(
                {
                    "party_unit_id": unit["pk"],
                    "party_name": unit["name"][:200],
                    "party_path": unit["jurisdiction__path"],
                    "zone_id": zones.get(unit["pk"]),
                }
            )
    return parties


def _latest_by_party(agreement_type: AgreementType, area: Jurisdiction) -> dict:
    rows = Agreement.objects.filter(
        agreement_type=agreement_type, is_latest=True, party_path__within=area.path
    ).values_list("pk", "party_unit_id", "party_jurisdiction_id", "status", "ends_on")
    latest = {}
    for pk, unit_id, jurisdiction_id, status, ends_on in rows:
        key = ("u", unit_id) if unit_id else ("j", jurisdiction_id)
        latest[key] = (pk, status, ends_on)
    return latest


def _is_current(status: str, ends_on: date, today: date) -> bool:
    if status in (AgreementStatus.GENERATED, AgreementStatus.REFUSED):
        return True
    return status == AgreementStatus.SIGNED and ends_on >= today


# The job ---------------------------------------------------------------------------------------


def _progress(job_id: int, **fields) -> None:
    """Written outside any transaction, so the polling page sees it at once."""
    GenerationJob.objects.filter(pk=job_id).update(**fields)


def generation_run(job_id: int) -> None:
    """Run a queued job (claimed by a conditional UPDATE: a redelivered message does nothing)."""
    claimed = GenerationJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), processed=0
    )
    if not claimed:
        return
    job = GenerationJob.objects.select_related("agreement_type", "template_version", "jurisdiction", "created_by").get(
        pk=job_id
    )
    try:
        created, skipped = _generate(job)
    except SoftTimeLimitExceeded:
        _fail(job, _("生成超过时间限制，已停止。已生成的责任书保留，可重新发起以补齐其余部分。"))
        return
    except IntegrityError:
        # Another step gave one of the parties an agreement meanwhile (a renewal, one issued on
        # request): the chunk was rolled back whole; the earlier chunks stand and a new run skips them.
        _fail(job, _("生成期间有对象已另行生成了责任书，本批未完成。已生成的责任书保留，请重新发起以补齐其余部分。"))
        return
    except Exception:
        logger.exception("agreement generation %s failed", job_id)
        _fail(job, _("生成时发生内部错误，请稍后重试或联系系统管理员。"))
        raise
    message = _("已生成 {created} 份，{skipped} 个对象已有有效责任书而跳过。").format(created=created, skipped=skipped)
    _progress(
        job_id,
        status=JobStatus.SUCCEEDED,
        created_count=created,
        skipped_count=skipped,
        finished_at=timezone.now(),
        message=message[:255],
    )
    audit_record(
        actor=job.created_by,
        obj=job,
        action="agreements.generation.finished",
        data={"created_count": created, "skipped_count": skipped},
    )


def _issuers_letter(agreement_type: AgreementType, issuer: Jurisdiction) -> int | None:
    """For target letters: the issuer's own latest letter (with the level above), the parent."""
    if agreement_type.required_rule != RequiredRule.CHILDREN:
        return None
    mine = Agreement.objects.filter(agreement_type=agreement_type, party_jurisdiction=issuer, is_latest=True)
    return mine.values_list("pk", flat=True).first()


def _generate(job: GenerationJob) -> tuple[int, int]:
    agreement_type, area, version = job.agreement_type, job.jurisdiction, job.template_version
    today = timezone.localdate()
    parties = generation_parties(agreement_type, area)
    latest = _latest_by_party(agreement_type, area)
    _progress(job.pk, total=len(parties))
    parent_id = _issuers_letter(agreement_type, area)
    todo, skipped = [], 0
    for party in parties:
        key = ("u", party["party_unit_id"]) if party.get("party_unit_id") else ("j", party["party_jurisdiction_id"])
        previous = latest.get(key)
        if previous is not None and _is_current(previous[1], previous[2], today):
            skipped += 1
            continue
        todo.append((party, previous[0] if previous else None))
    created = 0
    _progress(job.pk, processed=skipped)
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        with transaction.atomic():
            numbers = reserve_numbers(agreement_type.prefix, job.starts_on.year, len(chunk))
            stale = [previous for _party, previous in chunk if previous]
            if stale:
                Agreement.objects.filter(pk__in=stale).update(is_latest=False)
            _insert(job, version, parent_id, numbers, chunk)
        created += len(chunk)
        _progress(job.pk, processed=skipped + created, created_count=created)
    return created, skipped


COLUMNS = (
    "number",
    "agreement_type_id",
    "template_version_id",
    "jurisdiction_id",
    "party_unit_id",
    "party_jurisdiction_id",
    "party_name",
    "party_path",
    "zone_id",
    "duties",
    "starts_on",
    "ends_on",
    "parent_id",
    "renews_id",
    "job_id",
    "status",
    "is_latest",
    "signatory_name",
    "signatory_phone",
    "refused_reason",
    "status_note",
    "created_by_id",
    "created_at",
    "updated_at",
    "version",
)


def _insert(job: GenerationJob, version, parent_id, numbers: list[str], chunk: list) -> None:
    """One multi-row INSERT per chunk through the cursor (`executemany`): the rows are plain
    values, so Django's per-field preparation of 28,000 model instances (most of bulk_create's
    time, by profile) is skipped. The columns are the model's own; the table's constraints
    (one latest agreement per party and type, one party, term order) still hold."""
    from django.db import connection

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    start, end = ops.adapt_datefield_value(job.starts_on), ops.adapt_datefield_value(job.ends_on)
    duties = version.duties
    rows = [
        (
            number,
            job.agreement_type_id,
            version.pk,
            job.jurisdiction_id,
            party.get("party_unit_id"),
            party.get("party_jurisdiction_id"),
            party["party_name"],
            party["party_path"],
            party.get("zone_id"),
            duties,
            start,
            end,
            parent_id,
            previous,
            job.pk,
            AgreementStatus.GENERATED.value,
            True,
            "",
            "",
            "",
            "",
            job.created_by_id,
            now,
            now,
            1,
        )
        for number, (party, previous) in zip(numbers, chunk, strict=True)
    ]
    table = connection.ops.quote_name(Agreement._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 (names are the model's)


# One agreement on request ---------------------------------------------------------------------


def _template_version_of(agreement_type: AgreementType, template: AgreementTemplate | None):
    if template is None:
        return _current_template_version(agreement_type)
    if template.agreement_type_id != agreement_type.pk or not template.is_active or template.current_version is None:
        raise DomainError(_("所选模板不属于“{type}”或未启用。").format(type=agreement_type))
    return template.current_version


def _single_party(agreement_type: AgreementType, issuer: Jurisdiction, party_unit, party_jurisdiction) -> dict:
    """The party as generation writes it, after the same rules: a unit located in the issuer's
    area, of a type the agreement type lists (when it lists any), operating; or, for target
    letters, a direct child of the issuer of a listed level."""
    if (party_unit is None) == (party_jurisdiction is None):
        raise DomainError(_("请选择一个责任单位或一个下级辖区。"))
    if party_jurisdiction is not None:
        if agreement_type.required_rule != RequiredRule.CHILDREN:
            raise DomainError(_("“{type}”只能与单位签订。").format(type=agreement_type))
        if party_jurisdiction.parent_id != issuer.pk:
            raise DomainError(_("目标责任书只能由上一级辖区与其下级辖区签订。"))
        return {
            "party_jurisdiction_id": party_jurisdiction.pk,
            "party_name": party_jurisdiction.name,
            "party_path": party_jurisdiction.path,
        }
    unit_path = party_unit.jurisdiction.path
    if not unit_path.startswith(issuer.path):
        raise DomainError(_("该单位不在发放辖区内。"))
    if party_unit.status != UnitStatus.OPERATING:
        raise DomainError(_("该单位不在营业，不能签发责任书。"))
    if agreement_type.unit_types and party_unit.unit_type.code not in agreement_type.unit_types:
        raise DomainError(_("“{type}”不适用于{kind}。").format(type=agreement_type, kind=party_unit.unit_type))
    zone_id = None
    if agreement_type.zone_kind:
        zone_id = (
            ZoneAssignment.objects.filter(ends_on__isnull=True, unit=party_unit, zone__kind=agreement_type.zone_kind)
            .values_list("zone_id", flat=True)
            .first()
        )
    return {
        "party_unit_id": party_unit.pk,
        "party_name": party_unit.name[:200],
        "party_path": unit_path,
        "zone_id": zone_id,
    }


@transaction.atomic
def agreement_issue(
    *,
    actor,
    agreement_type: AgreementType,
    issuer: Jurisdiction,
    party_unit: Unit | None = None,
    party_jurisdiction: Jurisdiction | None = None,
    template: AgreementTemplate | None = None,
    starts_on: date,
    ends_on: date | None = None,
) -> Agreement:
    """签发 one agreement to one party on request (e.g. a catering unit's 复工承诺书), by the rules
    and with the values bulk generation uses (party, zone, duties, term, parent, renewal).

    Checks the role (add agreements), the issuer and the party inside the actor's area, the
    term, and that the party has no current agreement of the type (locks its latest one: two
    requests cannot both issue). Audited as `agreements.agreement.issued`."""
    ensure_role_allows(actor, Agreement, "add")
    ensure_jurisdiction_in_scope(actor, issuer)
    version = _template_version_of(agreement_type, template)
    ends_on = _check_term(starts_on, ends_on, version)
    party = _single_party(agreement_type, issuer, party_unit, party_jurisdiction)
    key = {k: v for k, v in party.items() if k in ("party_unit_id", "party_jurisdiction_id")}
    # The type's row first, as generation_start does: without it two requests for a party that
    # has no agreement yet lock nothing and both insert (the one-latest-per-party constraint).
    AgreementType.objects.select_for_update().filter(pk=agreement_type.pk).first()
    previous = (
        Agreement.objects.select_for_update().filter(agreement_type=agreement_type, is_latest=True, **key).first()
    )
    if previous is not None and _is_current(previous.status, previous.ends_on, timezone.localdate()):
        raise DomainError(
            _("{party} 已有一份“{status}”的{type}（{number}），请在该责任书上续签或作废后再签发。").format(
                party=party["party_name"],
                status=previous.get_status_display(),
                type=agreement_type,
                number=previous.number,
            )
        )
    if previous is not None:
        previous.is_latest = False
        previous.save(update_fields=["is_latest"])
    parent_id = _issuers_letter(agreement_type, issuer)
    number = reserve_numbers(agreement_type.prefix, starts_on.year, 1)[0]
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                number=number,
                agreement_type=agreement_type,
                template_version=version,
                jurisdiction=issuer,
                party_unit_id=party.get("party_unit_id"),
                party_jurisdiction_id=party.get("party_jurisdiction_id"),
                party_name=party["party_name"],
                party_path=party["party_path"],
                zone_id=party.get("zone_id"),
                duties=version.duties,
                starts_on=starts_on,
                ends_on=ends_on,
                parent_id=parent_id,
                renews=previous,
                created_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            _("{party} 的{type}刚刚由他人签发或续签，请刷新后查看。").format(
                party=party["party_name"], type=agreement_type
            )
        ) from None
    ensure_in_scope(actor, agreement, "view")
    audit_record(
        actor=actor,
        obj=agreement,
        action="agreements.agreement.issued",
        data={
            "agreement_type": str(agreement_type),
            "party_name": agreement.party_name,
            "renews": previous.number if previous else "",
        },
    )
    return agreement


def _fail(job: GenerationJob, message: str) -> None:
    _progress(job.pk, status=JobStatus.FAILED, finished_at=timezone.now(), message=message[:255])
    audit_record(actor=job.created_by, obj=job, action="agreements.generation.failed", data={"message": message})


@shared_task(
    name="apps.agreements.tasks.agreements_generate",
    soft_time_limit=settings.DATA_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DATA_JOB_TIME_LIMIT,
)
def agreements_generate(job_id: int) -> None:
    generation_run(job_id)
