"""What an app offers the generated documents (工作总结, 汇报, 简报 …) and their consistency checks,
without being imported by `reports`.

A domain app declares, in its own `entries.py`:

- `report_sections=[ReportSection(...)]`: a section of a summary in the seeds' order (一、组织领导
  二、宣传与健康教育 三、环境卫生整治 四、除四害 五、检查评比 …). Its sentences are templates
  whose placeholders name registered figures (`{cases.received}`); the generator computes those
  figures (apps/core/evidence.py `FigureSource`) for the document's jurisdiction and period and
  writes each value with its unit, linked to the records behind it. A sentence whose figures are
  all zero or empty is left out (an office does not write "组织讲座0次").
  `problems(path, start, end)` gives the open gaps, overdue tasks and weak indicators that seed
  存在的问题, `plans(...)` what seeds 下一步打算 (plain sentences a person then rewrites).
- `consistency_checks=[ConsistencyCheck(...)]`: contradictions between records of the app (two
  populations for one community, more households inspected than live there …) for a subtree:
  `find(path, start, end)` yields `Inconsistency` items a person must resolve before a document
  quoting them is exported.

Both receive plain values (paths, dates), never another app's objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The placeholder of a figure in a sentence template: {app.figure_key}.
PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z0-9_.]+)\}")

# Section orders, as the seeds' summaries run (001 L9–37, 003, 004); apps place their sections
# between these.
ORGANISATION = 100  # 组织领导
PUBLICITY = 200  # 宣传与健康教育
ENVIRONMENT = 300  # 环境卫生整治
PEST_CONTROL = 400  # 除四害
INSPECTION = 500  # 检查评比
AGREEMENTS = 600  # 门前三包与共建
MEETINGS = 700  # 会议与部署
CAMPAIGN = 800  # 创建与自评
SURVEYS = 900  # 群众满意度


@dataclass(frozen=True)
class ReportSentence:
    """A sentence of a section: `text` (translatable) with `{figure.key}` placeholders."""

    text: Any
    # Written even when every figure in it is zero (e.g. "未发生…").
    always: bool = False

    @property
    def keys(self) -> list[str]:
        return PLACEHOLDER.findall(str(self.text))


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: Any
    order: int
    sentences: list[ReportSentence]
    # Seeds for 存在的问题 and 下一步打算: (path, start, end) -> list of sentences.
    problems: Callable[[str, date, date], list[str]] | None = None
    plans: Callable[[str, date, date], list[str]] | None = None
    # The figures' permission: the section is left out of documents of a role that may not read it.
    permission: str = ""

    @property
    def figure_keys(self) -> list[str]:
        keys: list[str] = []
        for sentence in self.sentences:
            keys += [key for key in sentence.keys if key not in keys]
        return keys


@dataclass(frozen=True)
class Inconsistency:
    """One contradiction: what disagrees (`message`), the figure keys it affects (a document quoting
    them cannot be exported until it is resolved), and the records' page to resolve it on."""

    message: str
    figure_keys: tuple[str, ...] = ()
    url: str = ""
    jurisdiction_path: str = ""


@dataclass(frozen=True)
class ConsistencyCheck:
    key: str
    label: Any
    find: Callable[[str, date, date], Iterable[Inconsistency]]
    extra: dict = field(default_factory=dict)


def sections() -> list[ReportSection]:
    from .registry import registry

    return sorted(registry.report_sections(), key=lambda section: section.order)


def consistency_checks() -> list[ConsistencyCheck]:
    from .registry import registry

    return registry.consistency_checks()
