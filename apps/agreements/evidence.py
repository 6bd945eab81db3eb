"""What agreements offer the evidence ledger (台账), the self-assessment and the totals page.

- `agreements.signed` (已签订责任书): agreements that were signed (signed, later expired or
  superseded), of parties located in the subtree, dated by their signing day; category = type
  code. The binder gets the photos and scans of the signed pages.
- Figures for a subtree on the period's last day (`end`, else today): `agreements.required`,
  `.signed`, `.refused`, `.expired` (份, one per party: its latest agreement), `.coverage_rate`
  (%) and `.coverage_rate.<type>`: apps/agreements/coverage.py, the numbers of the coverage page.
  Coverage is a state on a day, not a sum over a period: `start` only bounds nothing here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceFile,
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    int_ids,
    narrow,
    window,
)
from apps.organization.models import Jurisdiction

from .builtin import TYPES
from .coverage import area_coverage
from .models import Agreement, AgreementPhoto, AgreementScan, AgreementType

RECORD_LIMIT = 20000
GROUP = _("责任书")
PERMISSION = "agreements.agreement"


def _signed(query: EvidenceQuery):
    qs = Agreement.objects.filter(signed_on__isnull=False, party_path__within=query.jurisdiction_path)
    if query.start:
        qs = qs.filter(signed_on__gte=query.start)
    if query.end:
        qs = qs.filter(signed_on__lte=query.end)
    if query.category:
        qs = qs.filter(agreement_type__code=query.category)
    return qs


def signed_records(query: EvidenceQuery):
    rows = (
        narrow(_signed(query), query, search_fields=("number", "party_name"))
        .order_by("-signed_on", "-id")
        .values("id", "number", "party_name", "signed_on", "party_path", "agreement_type__name")
    )
    for row in window(rows, query, RECORD_LIMIT):
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['number']} {row['party_name']}",
            occurred_on=row["signed_on"],
            jurisdiction_path=row["party_path"],
            url=reverse("agreements:agreement_detail", args=[row["id"]]),
            summary=str(_(row["agreement_type__name"])),
        )


def signed_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    ids = int_ids(object_ids)
    numbers = dict(Agreement.objects.filter(pk__in=ids).values_list("pk", "number"))
    result: dict[str, list[EvidenceFile]] = {str(pk): [] for pk in numbers}
    for photo in AgreementPhoto.objects.filter(agreement_id__in=ids).order_by("created_at", "id"):
        files = result[str(photo.agreement_id)]
        files.append(
            EvidenceFile(
                f"{numbers[photo.agreement_id]}-{len(files) + 1}.jpg", open=lambda photo=photo: photo.image.open("rb")
            )
        )
    for item in AgreementScan.objects.filter(agreement_id__in=ids).order_by("created_at", "id"):
        files = result[str(item.agreement_id)]
        files.append(
            EvidenceFile(
                f"{numbers[item.agreement_id]}-{len(files) + 1}.pdf", open=lambda item=item: item.file.open("rb")
            )
        )
    return result


def type_choices():
    return [(t.code, _(t.name)) for t in AgreementType.objects.all()]


SIGNED_SOURCE = EvidenceSource(
    key="agreements.signed",
    label=_("已签订责任书"),
    records=signed_records,
    files=signed_files,
    categories=type_choices,
)


# Figures ---------------------------------------------------------------------------------------


def _area(path: str) -> Jurisdiction | None:
    parts = [p for p in path.strip("/").split("/") if p]
    return Jurisdiction.objects.filter(pk=int(parts[-1])).first() if parts else None


def _url(area: Jurisdiction, as_of: date, **query) -> str:
    params = {"jurisdiction": area.pk, **query}
    if as_of != timezone.localdate():
        params["as_of"] = as_of.isoformat()
    return reverse("agreements:agreement_list") + "?" + urlencode(params)


def _coverage_url(area: Jurisdiction, as_of: date) -> str:
    params = {"jurisdiction": area.pk}
    if as_of != timezone.localdate():
        params["as_of"] = as_of.isoformat()
    return reverse("agreements:coverage") + "?" + urlencode(params)


def _count_figure(name: str):
    def compute(path: str, start: date | None, end: date | None) -> FigureValue:
        area = _area(path)
        if area is None:
            return FigureValue(None)
        as_of = end or timezone.localdate()
        overall = area_coverage(area, as_of=as_of, by_child=False).overall
        value = Decimal(getattr(overall, name))
        url = _coverage_url(area, as_of) if name == "required" else _url(area, as_of, standing=name, required=1)
        return FigureValue(value, url=url)

    return compute


def _rate_figure(code: str | None):
    def compute(path: str, start: date | None, end: date | None) -> FigureValue:
        area = _area(path)
        if area is None:
            return FigureValue(None)
        as_of = end or timezone.localdate()
        types = AgreementType.objects.filter(code=code) if code else None
        result = area_coverage(area, as_of=as_of, types=types, by_child=False)
        cell = result.totals.get(code) if code else result.overall
        if cell is None:
            return FigureValue(None)
        return FigureValue(cell.rate, Decimal(cell.signed), Decimal(cell.required), url=_coverage_url(area, as_of))

    return compute


def figures() -> list[FigureSource]:
    counts = [
        (
            "required",
            _("应签责任书"),
            _(
                "应签订责任书的对象数（在营商户/餐饮/六小行业、共建单位、下级辖区及市场摊位、已发放门前五包或承诺书的单位），统计日为统计期末"
            ),
        ),
        ("signed", _("已签责任书"), _("最新一份责任书已签订且在有效期内的对象数（只计应签对象）")),
        ("refused", _("拒签责任书"), _("最新一份责任书为拒签的对象数")),
        ("expired", _("到期未续签责任书"), _("最新一份责任书已到期的对象数")),
    ]
    result = [
        FigureSource(
            key=f"agreements.{name}",
            label=label,
            unit="份",
            compute=_count_figure(name),
            description=description,
            group=GROUP,
            permission=PERMISSION,
            order=index,
        )
        for index, (name, label, description) in enumerate(counts, start=1)
    ]
    result.append(
        FigureSource(
            key="agreements.coverage_rate",
            label=_("责任书签订率"),
            unit="%",
            compute=_rate_figure(None),
            description=_(
                "已签订且在有效期内的对象 / 应签对象 × 100（各类型合计；每个对象只按最新一份计一次，不超过100%）"
            ),
            group=GROUP,
            permission=PERMISSION,
            order=10,
        )
    )
    for index, (code, name, *_rest) in enumerate(TYPES, start=11):
        result.append(
            FigureSource(
                key=f"agreements.coverage_rate.{code}",
                label=format_lazy(_("{type}签订率"), type=_(name)),
                unit="%",
                compute=_rate_figure(code),
                description=_("该类型已签订且在有效期内的对象 / 应签对象 × 100"),
                group=GROUP,
                permission=PERMISSION,
                order=index,
            )
        )
    return result
