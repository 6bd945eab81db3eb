"""Importing a standard from the .xlsx template (apps/imports): one row per 小项.

The first three columns name the standard the row belongs to: a new code creates a standard
(its name and kind from the first row of that code), the code of an existing standard imports
the file as that standard's new version (the current version is kept as history; campaigns keep
theirs). One file may hold several standards. A row that repeats an earlier 小项编号 with an empty
条文 adds another indicator and more evidence requirements to that item.

The job is all-or-nothing (apps/imports/jobs.py): every row is checked here first, and one bad
row leaves everything as it was.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from apps.core.evidence import figures
from apps.imports.columns import CellError, ChoiceColumn, Column, DecimalColumn
from apps.imports.models import DataJob
from apps.imports.specs import ImportSpec

from .choices import Comparator, ItemKind, MeasureKind, StandardKind
from .models import Standard
from .services import PERCENT_UNITS, SLUG_RE, check_indicator_values, standard_import

REQUIREMENT_SPLIT = re.compile(r"[；;\n]+")
REQUIREMENT_COUNT = re.compile(r"^(?P<name>.+?)\s*[×xX*＊]\s*(?P<count>\d+)$")
YES, NO = "1", "0"


class AliasChoiceColumn(ChoiceColumn):
    """A choice column that also accepts a few spellings people type (">=" for "≥")."""

    def __init__(self, *args, aliases: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.aliases = aliases

    def convert(self, raw, text):
        if text in self.aliases:
            return self.aliases[text]
        return super().convert(raw, text)


class FigureColumn(Column):
    """A figure key a module registers (apps/core/evidence.py), by key or by its label."""

    def options(self):
        return [str(figure.label) for figure in figures().values()]

    def empty(self):
        return ""

    def convert(self, raw, text):
        for key, figure in figures().items():
            if text in (key, str(figure.label)):
                return key
        raise CellError(_("系统数据“{value}”不存在").format(value=text))


def parse_requirements(text: str) -> list[tuple[str, int]]:
    """ "名称；名称×2" as [(名称, 1), (名称, 2)]; raises CellError on a bad part."""
    result = []
    for part in REQUIREMENT_SPLIT.split(text or ""):
        part = part.strip()
        if not part:
            continue
        match = REQUIREMENT_COUNT.match(part)
        name, count = (match["name"].strip(), int(match["count"])) if match else (part, 1)
        if not 1 <= count <= 999:
            raise CellError(_("“{part}”的份数必须在 1 到 999 之间").format(part=part))
        if len(name) > 150:
            raise CellError(_("资料名称不能超过 150 个字符"))
        result.append((name, count))
    return result


class StandardImport(ImportSpec):
    source = "standard_items"
    title = gettext_lazy("创建标准")
    model = Standard
    result_url_name = "standards:standard_list"
    result_label = gettext_lazy("查看创建标准")

    def columns(self):
        return [
            Column(
                _("标准代码"),
                "code",
                required=True,
                max_length=60,
                help=_("字母、数字、- 或 _；新代码建立新标准，已有标准的代码导入为它的新版本"),
            ),
            Column(_("标准名称"), "name", max_length=120, help=_("新标准的第一行必填")),
            ChoiceColumn(_("标准类别"), "kind", choices=StandardKind.choices, default=StandardKind.LOCAL),
            Column(_("大项编号"), "section_code", required=True, max_length=20),
            Column(_("大项名称"), "section_name", max_length=100, help=_("每个大项第一次出现时必填")),
            Column(_("小项编号"), "item_code", required=True, max_length=20, help=_("同一标准内不能重复")),
            Column(
                _("条文"),
                "text",
                max_length=2000,
                help=_("必填；重复上一行的小项编号且条文留空时，该行为此小项追加指标和资料"),
            ),
            Column(_("考核方法"), "method", max_length=2000),
            ChoiceColumn(_("类型"), "kind_item", choices=ItemKind.choices, default=ItemKind.PLAIN),
            DecimalColumn(_("分值"), "points", minimum=Decimal("0.1"), maximum=Decimal(1000), places=1),
            Column(_("所需资料"), "requirements", max_length=1000, help=_("多项用“；”分隔，最少份数写作“名称×2”")),
            Column(_("指标名称"), "indicator", max_length=100),
            ChoiceColumn(_("指标类型"), "measure", choices=MeasureKind.choices, default=""),
            AliasChoiceColumn(
                _("比较"),
                "comparator",
                choices=Comparator.choices,
                default=Comparator.AT_LEAST,
                aliases={
                    ">=": Comparator.AT_LEAST,
                    "<=": Comparator.AT_MOST,
                    "≧": Comparator.AT_LEAST,
                    "≦": Comparator.AT_MOST,
                },
            ),
            DecimalColumn(_("达标值"), "threshold", minimum=Decimal(0), maximum=Decimal(10**9), places=2),
            Column(_("单位"), "unit", max_length=20, help=_("如 %、分、个")),
            FigureColumn(_("系统数据"), "figure_key", max_length=60, help=_("由系统自动计算的数据，如按期结案率")),
            ChoiceColumn(
                _("示例"),
                "is_example",
                choices=[(YES, pgettext("yes or no", "是")), (NO, pgettext("yes or no", "否"))],
                default=NO,
            ),
        ]

    def prepare(self, actor, columns):
        self.existing = {s.code: s for s in Standard.objects.restrict(actor, "change")}
        self.all_codes = set(Standard.objects.values_list("code", flat=True))

    def example(self, actor, columns):
        return {
            "code": "my-community-2026",
            "name": _("某区卫生社区标准"),
            "kind": str(StandardKind.LOCAL.label),
            "section_code": "1",
            "section_name": _("爱国卫生组织管理"),
            "item_code": "1.1",
            "text": _("群众对卫生状况满意"),
            "method": _("问卷调查"),
            "kind_item": str(ItemKind.SCORED.label),
            "points": Decimal(5),
            "requirements": _("满意度调查报告；调查问卷×100"),
            "indicator": _("群众满意率"),
            "measure": str(MeasureKind.RATE.label),
            "comparator": "≥",
            "threshold": Decimal(90),
            "unit": "%",
            "figure_key": "",
            "is_example": pgettext("yes or no", "否"),
        }

    def check_row(self, values, row_number, state):
        errors = []
        code = values.get("code") or ""
        standards = state.setdefault("standards", {})
        if code and not SLUG_RE.match(code):
            errors.append((_("标准代码"), _("只能包含字母、数字、- 和 _")))
        elif code and code not in standards:
            standards[code] = {"row": row_number, "name": values.get("name"), "kind": values.get("kind")}
            if code in self.existing:
                name = values.get("name")
                if name and name != self.existing[code].name:
                    errors.append(
                        (
                            _("标准名称"),
                            _("代码“{code}”已是“{name}”的代码；导入将生成它的新版本，名称须一致或留空").format(
                                code=code, name=self.existing[code].name
                            ),
                        )
                    )
            elif code in self.all_codes:
                errors.append((_("标准代码"), _("标准代码“{code}”已被使用").format(code=code)))
            elif not values.get("name"):
                errors.append((_("标准名称"), _("新标准的第一行必须填写标准名称")))
        elif code and values.get("name") and standards[code]["name"] and values["name"] != standards[code]["name"]:
            errors.append((_("标准名称"), _("与第 {row} 行的标准名称不一致").format(row=standards[code]["row"])))
        errors += self._check_section(values, row_number, state, code)
        errors += self._check_item(values, row_number, state, code)
        return errors

    def _check_section(self, values, row_number, state, code):
        key = (code, values.get("section_code"))
        sections = state.setdefault("sections", {})
        name = values.get("section_name")
        if not values.get("section_code"):
            return []
        if key not in sections:
            sections[key] = (row_number, name)
            if not name:
                return [(_("大项名称"), _("大项“{code}”第一次出现，必须填写大项名称").format(code=key[1]))]
        elif name and sections[key][1] and name != sections[key][1]:
            return [(_("大项名称"), _("与第 {row} 行的大项名称不一致").format(row=sections[key][0]))]
        return []

    def _check_item(self, values, row_number, state, code):
        errors = []
        items = state.setdefault("items", {})
        key = (code, values.get("item_code"))
        text = values.get("text")
        if key in items:
            first_row, section_code = items[key]
            if text:
                errors.append((_("小项编号"), _("与第 {row} 行的小项编号重复").format(row=first_row)))
            elif section_code != values.get("section_code"):
                errors.append((_("大项编号"), _("追加行的大项编号须与第 {row} 行相同").format(row=first_row)))
            elif not values.get("indicator") and not values.get("requirements"):
                errors.append((_("条文"), _("必填项不能为空")))
        elif values.get("item_code"):
            items[key] = (row_number, values.get("section_code"))
            if not text:
                errors.append((_("条文"), _("必填项不能为空")))
            kind, points = values.get("kind_item"), values.get("points")
            if kind == ItemKind.SCORED and not points:
                errors.append((_("分值"), _("计分项请填写分值")))
            if kind != ItemKind.SCORED and points:
                errors.append((_("分值"), _("只有计分项有分值")))
        try:
            parse_requirements(values.get("requirements"))
        except CellError as error:
            errors.append((_("所需资料"), str(error)))
        errors += self._check_indicator(values)
        return errors

    def _check_indicator(self, values):
        has_values = values.get("threshold") is not None or values.get("unit") or values.get("measure")
        if not values.get("indicator"):
            if has_values or values.get("figure_key"):
                return [(_("指标名称"), _("填写了达标值、单位或系统数据时必须填写指标名称"))]
            return []
        labels = {"threshold": _("达标值"), "unit": _("单位")}
        problems = check_indicator_values(
            measure=self._measure(values), threshold=values.get("threshold"), unit=values.get("unit")
        )
        return [(labels[name], str(message).rstrip("。")) for name, message in problems.items()]

    @staticmethod
    def _measure(values) -> str:
        if values.get("measure"):
            return values["measure"]
        return MeasureKind.RATE if (values.get("unit") or "").strip() in PERCENT_UNITS else MeasureKind.VALUE

    def write(self, actor, rows, job_id):
        """Group the rows by standard, section and item, then load each standard's tree."""
        input_name = DataJob.objects.filter(pk=job_id).values_list("input_name", flat=True).first() or ""
        trees: dict[str, dict] = {}
        for row in rows:
            tree = trees.setdefault(
                row["code"],
                {"header": {"name": row["name"], "kind": row["kind"] or StandardKind.LOCAL}, "sections": {}},
            )
            section = tree["sections"].setdefault(
                row["section_code"],
                {"code": row["section_code"], "name": row["section_name"], "items": {}, "is_example": False},
            )
            item = section["items"].get(row["item_code"])  # a continuation row names its item again
            if item is None:
                item = section["items"][row["item_code"]] = {
                    "code": row["item_code"],
                    "text": row["text"],
                    "method": row["method"],
                    "kind": row["kind_item"],
                    "points": row["points"] if row["kind_item"] == ItemKind.SCORED else None,
                    "is_example": row["is_example"] == YES,
                    "indicators": [],
                    "requirements": [],
                }
            item["requirements"] += parse_requirements(row["requirements"])
            if row["indicator"]:
                item["indicators"].append(
                    {
                        "name": row["indicator"],
                        "measure": self._measure(row),
                        "comparator": row["comparator"] or Comparator.AT_LEAST,
                        "threshold": row["threshold"],
                        "unit": "%" if self._measure(row) == MeasureKind.RATE and not row["unit"] else row["unit"],
                        "figure_key": row["figure_key"],
                        "is_example": row["is_example"] == YES,
                    }
                )
        created = 0
        for code, tree in trees.items():
            sections = [{**s, "items": list(s["items"].values())} for s in tree["sections"].values()]
            _standard, _version, count = standard_import(
                actor=actor, code=code, header=tree["header"], sections=sections, source=input_name, job_id=job_id
            )
            created += count
        return created
