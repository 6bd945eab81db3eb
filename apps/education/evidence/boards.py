"""What the bulletin boards and smoke-free places offer the evidence ledger (台账) and the
figures, through the registry.

- `education.board_updates` (宣传栏更新记录): board updates in a subtree and period; the binder
  gets their photos.
- `education.smokefree_checks` (控烟检查记录): checks in a subtree and period, category = result.
- Figures of a subtree: `education.boards` (active boards installed by the period's end),
  `education.boards_on_time` (% on time in the last complete period before the period's end —
  or today — per the board's cadence, punctuality.py), `education.no_smoking_signs` (signs
  posted in active places), `education.smokefree_places` (active places),
  `education.smokefree_pass_rate` (% of the period's checks that passed; None without a check).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceFile,
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    in_working_language,
    int_ids,
    narrow,
    node_id,
    window,
)
from apps.core.units import unit_lazy

from ..choices import CheckResult
from ..models import Board, BoardUpdate, BoardUpdatePhoto, SmokeFreeCheck, SmokeFreeCheckPhoto, SmokeFreePlace
from ..selectors.boards import on_time_shares, on_time_total

RECORD_LIMIT = 20000
GROUP = _("健康教育")
BOARD_PERMISSION = "education.board"
PLACE_PERMISSION = "education.smokefreeplace"


def _url(name: str, path: str) -> str:
    return f"{reverse(name)}?{urlencode({'jurisdiction': node_id(path)})}"


# Evidence ------------------------------------------------------------------------------------


def _dated(qs, field, query: EvidenceQuery):
    qs = qs.filter(**{f"{field}__gte": query.start} if query.start else {})
    return qs.filter(**{f"{field}__lte": query.end} if query.end else {})


def update_records(query: EvidenceQuery):
    qs = _dated(
        BoardUpdate.objects.filter(board__jurisdiction__path__startswith=query.jurisdiction_path), "updated_on", query
    )
    qs = narrow(qs, query, search_fields=("topic", "board__name"))
    rows = window(
        qs.order_by("-updated_on", "-id").values(
            "id", "topic", "updated_on", "board_id", "board__name", "board__jurisdiction__path"
        ),
        query,
        RECORD_LIMIT,
    )
    for row in rows:
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['board__name']} {row['topic']}",
            occurred_on=row["updated_on"],
            jurisdiction_path=row["board__jurisdiction__path"],
            url=reverse("education:board_detail", args=[row["board_id"]]),
        )


@in_working_language
def update_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    result: dict[str, list[EvidenceFile]] = {}
    counters: dict[int, int] = {}
    name = gettext("宣传栏照片")
    photos = BoardUpdatePhoto.objects.filter(update_id__in=int_ids(object_ids)).select_related("update")
    for photo in photos.order_by("update_id", "created_at", "id"):
        counters[photo.update_id] = counters.get(photo.update_id, 0) + 1
        stem = f"{photo.update.updated_on:%Y%m%d}-{photo.update_id}-{name}-{counters[photo.update_id]}.jpg"
        result.setdefault(str(photo.update_id), []).append(
            EvidenceFile(stem, open=lambda photo=photo: photo.image.open("rb"))
        )
    return result


def check_records(query: EvidenceQuery):
    qs = _dated(
        SmokeFreeCheck.objects.filter(place__jurisdiction__path__startswith=query.jurisdiction_path),
        "checked_on",
        query,
    )
    if query.category:
        qs = qs.filter(result=query.category)
    qs = narrow(qs, query, search_fields=("place__name", "note"))
    rows = window(
        qs.order_by("-checked_on", "-id").values(
            "id", "checked_on", "result", "place_id", "place__name", "place__jurisdiction__path"
        ),
        query,
        RECORD_LIMIT,
    )
    results = dict(CheckResult.choices)
    for row in rows:
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=row["place__name"],
            occurred_on=row["checked_on"],
            jurisdiction_path=row["place__jurisdiction__path"],
            url=reverse("education:place_detail", args=[row["place_id"]]),
            summary=str(results.get(row["result"], row["result"])),
        )


@in_working_language
def check_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    result: dict[str, list[EvidenceFile]] = {}
    counters: dict[int, int] = {}
    name = gettext("控烟检查照片")
    photos = SmokeFreeCheckPhoto.objects.filter(check_record_id__in=int_ids(object_ids)).select_related("check_record")
    for photo in photos.order_by("check_record_id", "created_at", "id"):
        key = photo.check_record_id
        counters[key] = counters.get(key, 0) + 1
        stem = f"{photo.check_record.checked_on:%Y%m%d}-{key}-{name}-{counters[key]}.jpg"
        result.setdefault(str(key), []).append(EvidenceFile(stem, open=lambda photo=photo: photo.image.open("rb")))
    return result


EVIDENCE = [
    EvidenceSource(
        key="education.board_updates", label=_("宣传栏更新记录"), records=update_records, files=update_files
    ),
    EvidenceSource(
        key="education.smokefree_checks",
        label=_("控烟检查记录"),
        records=check_records,
        files=check_files,
        categories=lambda: list(CheckResult.choices),
    ),
]


# Figures -------------------------------------------------------------------------------------


def _boards(path, end):
    qs = Board.objects.filter(jurisdiction__path__startswith=path, is_active=True)
    return qs.filter(installed_on__lte=end) if end else qs


def _board_count(path, start, end) -> FigureValue:
    return FigureValue(Decimal(_boards(path, end).count()), url=_url("education:board_list", path))


def _on_time(path, start, end) -> FigureValue:
    today = timezone.localdate()
    reference = min(end + timedelta(days=1), today) if end else today
    on, due, percent = on_time_total(on_time_shares(boards=_boards(path, None), today=reference))
    if percent is None:
        return FigureValue(None, note=gettext("无应更新的宣传栏"))
    return FigureValue(percent, numerator=Decimal(on), denominator=Decimal(due), url=_url("education:board_list", path))


def _places(path):
    return SmokeFreePlace.objects.filter(jurisdiction__path__startswith=path, is_active=True)


def _signs(path, start, end) -> FigureValue:
    total = _places(path).aggregate(n=Sum("signs_posted"))["n"] or 0
    return FigureValue(Decimal(total), url=_url("education:place_list", path))


def _place_count(path, start, end) -> FigureValue:
    return FigureValue(Decimal(_places(path).count()), url=_url("education:place_list", path))


def _pass_rate(path, start, end) -> FigureValue:
    qs = SmokeFreeCheck.objects.filter(place__jurisdiction__path__startswith=path)
    if start:
        qs = qs.filter(checked_on__gte=start)
    if end:
        qs = qs.filter(checked_on__lte=end)
    counts = qs.aggregate(total=Count("id"), passed=Count("id", filter=Q(result=CheckResult.PASS)))
    if not counts["total"]:
        return FigureValue(None, note=gettext("期间无控烟检查"))
    rate = (Decimal(counts["passed"]) * 100 / Decimal(counts["total"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return FigureValue(
        rate,
        numerator=Decimal(counts["passed"]),
        denominator=Decimal(counts["total"]),
        url=_url("education:place_list", path),
    )


RULE = _("（辖区在本辖区及下级内）")

FIGURES = [
    FigureSource(
        key="education.boards",
        label=_("在用宣传栏"),
        unit=unit_lazy(gettext_noop("个")),
        compute=_board_count,
        description=format_lazy("{}{}", _("期末已设立的在用宣传栏"), RULE),
        group=GROUP,
        permission=BOARD_PERMISSION,
        order=50,
    ),
    FigureSource(
        key="education.boards_on_time",
        label=_("宣传栏更新及时率"),
        unit="%",
        compute=_on_time,
        description=_("期末前最后一个完整周期（按各宣传栏的月或季度）内有更新的宣传栏 ÷ 应更新的宣传栏"),
        group=GROUP,
        permission=BOARD_PERMISSION,
        order=60,
    ),
    FigureSource(
        key="education.no_smoking_signs",
        label=_("已设禁烟标识"),
        unit=unit_lazy(gettext_noop("块")),
        compute=_signs,
        description=format_lazy("{}{}", _("在用无烟场所已设禁烟标识之和"), RULE),
        group=GROUP,
        permission=PLACE_PERMISSION,
        order=70,
    ),
    FigureSource(
        key="education.smokefree_places",
        label=_("无烟场所"),
        unit=unit_lazy(gettext_noop("个")),
        compute=_place_count,
        description=format_lazy("{}{}", _("在用的无烟场所"), RULE),
        group=GROUP,
        permission=PLACE_PERMISSION,
        order=80,
    ),
    FigureSource(
        key="education.smokefree_pass_rate",
        label=_("控烟检查合格率"),
        unit="%",
        compute=_pass_rate,
        description=_("期间合格的控烟检查 ÷ 期间控烟检查；无检查则不计算"),
        group=GROUP,
        permission=PLACE_PERMISSION,
        order=90,
    ),
]
