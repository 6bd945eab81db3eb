"""What the operations part offers the evidence ledger (台账) and the totals page.

- `pestcontrol.operations` (除四害作业与行动记录): operations recorded in a subtree, dated by the
  operation's date, and the held campaigns of the subtree, dated by their start; category
  "operation" or "campaign"; the binder gets the operations' photos.
- Figures (group 除四害与病媒监测), for operations whose jurisdiction lies in the subtree and
  whose date lies in the period: `pestcontrol.operations` (次), `pestcontrol.campaigns_held`
  (次, held campaigns starting in the period), `pestcontrol.households_covered` (户),
  `pestcontrol.area_m2` (平方米), `pestcontrol.rodenticide_kg` (kg of drug lines in grams whose
  product is for rats), `pestcontrol.drug_kg` (kg of every drug packed in grams),
  `pestcontrol.drug_l` (L of every drug packed in millilitres), `pestcontrol.purchase_rate` and
  `pestcontrol.retention_rate` (%, pooled over the follow-up checks of those operations, with
  numerator and denominator). Each links to the operation list filtered to the same records.
  All but the campaigns are read from the operations' record rollup (rollups.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
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
    node_id,
)
from apps.core.rollups import rollup_node_sums
from apps.core.units import unit_lazy

from .. import methods
from ..choices import CampaignStatus
from ..models import Operation, OperationPhoto, PestCampaign
from . import GROUP, rollups

PERMISSION = "pestcontrol.operation"
RECORD_LIMIT = 20000


def _operations(path: str, start, end):
    qs = Operation.objects.filter(jurisdiction__path__startswith=path)
    if start:
        qs = qs.filter(performed_on__gte=start)
    if end:
        qs = qs.filter(performed_on__lte=end)
    return qs


def _campaigns(path: str, start, end):
    qs = PestCampaign.objects.filter(jurisdiction__path__startswith=path, status=CampaignStatus.HELD)
    if start:
        qs = qs.filter(start_date__gte=start)
    if end:
        qs = qs.filter(start_date__lte=end)
    return qs


def _ids(object_ids, prefix):
    return int_ids([i[len(prefix) :] for i in object_ids if str(i).startswith(prefix)])


def records(query: EvidenceQuery):
    """Three queries: the operations, the held campaigns, merged newest first."""
    ops = _operations(query.jurisdiction_path, query.start, query.end)
    campaigns = _campaigns(query.jurisdiction_path, query.start, query.end)
    if query.object_ids:
        ops = ops.filter(pk__in=_ids(query.object_ids, "op-"))
        campaigns = campaigns.filter(pk__in=_ids(query.object_ids, "campaign-"))
    if query.category == "operation":
        campaigns = campaigns.none()
    elif query.category == "campaign":
        ops = ops.none()
    words = query.search.strip()
    if words:
        ops = ops.filter(Q(place__icontains=words) | Q(team__icontains=words))
        campaigns = campaigns.filter(title__icontains=words)
    offset, limit = max(query.offset, 0), query.limit or RECORD_LIMIT
    take = offset + limit
    rows = [
        (r["performed_on"], "op", r)
        for r in ops.order_by("-performed_on", "-id").values(
            "id", "performed_on", "place", "households_covered", "jurisdiction__name", "jurisdiction__path"
        )[:take]
    ]
    rows += [
        (r["start_date"], "campaign", r)
        for r in campaigns.order_by("-start_date", "-id").values(
            "id", "start_date", "title", "jurisdiction__name", "jurisdiction__path"
        )[:take]
    ]
    rows.sort(key=lambda row: (row[0], row[1], row[2]["id"]), reverse=True)
    for day, kind, r in rows[offset:take]:
        if kind == "op":
            yield EvidenceRecord(
                object_id=f"op-{r['id']}",
                title=gettext("{place}除四害作业").format(place=r["place"] or r["jurisdiction__name"]),
                occurred_on=day,
                jurisdiction_path=r["jurisdiction__path"],
                url=reverse("pestcontrol:operation_detail", args=[r["id"]]),
                summary=gettext("覆盖 {n} 户").format(n=r["households_covered"]),
            )
        else:
            yield EvidenceRecord(
                object_id=f"campaign-{r['id']}",
                title=r["title"],
                occurred_on=day,
                jurisdiction_path=r["jurisdiction__path"],
                url=reverse("pestcontrol:campaign_detail", args=[r["id"]]),
                summary=gettext("除四害行动（已开展）"),
            )


@in_working_language
def files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    """Per operation: its photos, named by date and number."""
    result: dict[str, list[EvidenceFile]] = {}
    photos = OperationPhoto.objects.filter(operation_id__in=_ids(object_ids, "op-")).select_related("operation")
    counters: dict[int, int] = {}
    name = gettext("作业照片")
    for photo in photos.order_by("operation_id", "created_at", "id"):
        counters[photo.operation_id] = counters.get(photo.operation_id, 0) + 1
        stem = f"{photo.operation.performed_on:%Y%m%d}-{photo.operation_id}-{name}-{counters[photo.operation_id]}.jpg"
        result.setdefault(f"op-{photo.operation_id}", []).append(
            EvidenceFile(stem, open=lambda photo=photo: photo.image.open("rb"))
        )
    return result


RECORDS = EvidenceSource(
    key="pestcontrol.operations",
    label=_("除四害作业与行动记录"),
    records=records,
    files=files,
    categories=lambda: [("operation", _("除四害作业")), ("campaign", _("除四害行动"))],
)


# Figures ------------------------------------------------------------------------------------


def list_url(path: str, start: date | None, end: date | None, **extra) -> str:
    params = {"jurisdiction": node_id(path)}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    params.update(extra)
    return f"{reverse('pestcontrol:operation_list')}?{urlencode({k: v for k, v in params.items() if v})}"


def figure_values(path, start, end) -> dict[str, FigureValue]:
    """Every figure of this part for one subtree and period, from the operations' rollup
    (rollups.py: one grouped read of the node's daily totals) and one count of campaigns."""
    found = rollup_node_sums(rollups.KEY, path, start, end)
    zero = Decimal(0)
    url = list_url(path, start, end)
    checked = found.get("checked", zero)

    def kilo(name):
        return (found.get(name, zero) / 1000).quantize(Decimal("0.001"))

    def share(name):
        numerator = found.get(name, zero)
        return FigureValue(methods.rate(numerator, checked), numerator=numerator, denominator=checked, url=url)

    return {
        "pestcontrol.operations": FigureValue(found.get("operations", zero), url=url),
        "pestcontrol.campaigns_held": FigureValue(
            Decimal(_campaigns(path, start, end).count()), url=reverse("pestcontrol:campaign_list")
        ),
        "pestcontrol.households_covered": FigureValue(found.get("households", zero), url=url),
        "pestcontrol.area_m2": FigureValue(found.get("area_m2", zero), url=url),
        "pestcontrol.rodenticide_kg": FigureValue(kilo("rat_grams"), url=list_url(path, start, end, pest="rat")),
        "pestcontrol.drug_kg": FigureValue(kilo("grams"), url=url),
        "pestcontrol.drug_l": FigureValue(kilo("millilitres"), url=url),
        "pestcontrol.purchase_rate": share("bought"),
        "pestcontrol.retention_rate": share("retained"),
    }


def _one(key):
    return lambda path, start, end: figure_values(path, start, end)[key]


BATCH = {"batch": figure_values}

_DECLARED = [
    ("pestcontrol.operations", _("除四害作业次数"), "次", _("登记的除四害作业条数")),
    ("pestcontrol.campaigns_held", _("开展除四害行动次数"), "次", _("已开展、开始日期在期间内的除四害行动")),
    ("pestcontrol.households_covered", _("除四害覆盖住户"), "户", _("各作业覆盖住户数之和")),
    ("pestcontrol.area_m2", _("除四害处理面积"), "平方米", _("各作业处理面积之和")),
    ("pestcontrol.rodenticide_kg", _("灭鼠毒饵用量"), "kg", _("防制对象含鼠、按克包装的药物：包数 × 规格 ÷ 1000")),
    ("pestcontrol.drug_kg", _("药物用量（按克包装）"), "kg", _("按克包装的全部药物：包数 × 规格 ÷ 1000")),
    ("pestcontrol.drug_l", _("药物用量（按毫升包装）"), "L", _("按毫升包装的全部药物：瓶数 × 规格 ÷ 1000")),
    ("pestcontrol.purchase_rate", _("购药率"), "%", _("回访购药户数 ÷ 回访户数")),
    ("pestcontrol.retention_rate", _("保留率"), "%", _("回访药物保留户数 ÷ 回访户数")),
]

FIGURES = [
    FigureSource(
        key=key,
        label=label,
        unit=unit_lazy(unit) if unit != "%" else "%",
        compute=_one(key),
        description=description,
        group=GROUP,
        permission=PERMISSION,
        extra=BATCH,
        order=10 * (number + 1),
    )
    for number, (key, label, unit, description) in enumerate(_DECLARED)
]
