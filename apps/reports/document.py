"""A report as it is printed: what the generator hands the .docx/PDF writers and the draft page.

Plain data, no database: `Document` → `Block`s (the opening, the numbered sections, 存在的问题,
下一步打算) → paragraphs → `Run`s. A run that is a figure carries its key, the page of the
records behind it and the exact value (when the number style wrote it as "150余"), so every
output can link or footnote it. Headings are stored without numbers; `numbered()` gives
一、(一)1. as GB/T 9704 orders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CHINESE_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Run:
    text: str
    figure_key: str = ""
    url: str = ""
    exact: str = ""  # the exact value with its unit, when `text` is rounded ("150余家" ← "153家")
    missing: bool = False  # a figure with nothing to compute from

    @property
    def is_figure(self) -> bool:
        return bool(self.figure_key)


@dataclass
class Paragraph:
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def figures(self) -> list[Run]:
        return [run for run in self.runs if run.is_figure]


@dataclass
class Block:
    """`level` 0: no heading (the opening); 1: 一、; 2: (一) under the last level-1 block.
    `listed`: paragraphs numbered 1. 2. … (存在的问题, 下一步打算)."""

    key: str
    heading: str
    level: int
    paragraphs: list[Paragraph]
    listed: bool = False
    part_id: int | None = None


@dataclass
class Document:
    title: str
    office: str
    issued_on: date
    language: str = "zh-hans"
    doc_number: str = ""
    addressee: str = ""
    blocks: list[Block] = field(default_factory=list)
    # Optional tables of the figures: (caption, header row, rows) of plain strings.
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    # Optional bar charts: (title, labels, values), drawn as pictures after the tables.
    charts: list[tuple[str, list[str], list[float]]] = field(default_factory=list)

    def numbered(self) -> list[tuple[str, Block]]:
        """(number prefix, block): 一、 for level 1, （一） for level 2 (restarting under each
        level-1 block), "" for level 0; "1. " and "(1) " in an English document."""
        out, top, sub = [], 0, 0
        english = self.language == "en"
        for block in self.blocks:
            if block.level == 1:
                top, sub = top + 1, 0
                out.append((f"{top}. " if english else ordinal(top) + "、", block))
            elif block.level == 2:
                sub += 1
                out.append((f"({sub}) " if english else "（" + ordinal(sub) + "）", block))
            else:
                out.append(("", block))
        return out

    @property
    def figures(self) -> list[Run]:
        return [run for block in self.blocks for paragraph in block.paragraphs for run in paragraph.figures]


def ordinal(n: int) -> str:
    """1–99 as 一 … 九十九 (headings rarely pass 十)."""
    if n <= 10:
        return CHINESE_ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CHINESE_ORDINALS[tens - 1] + "十"
    return head + (CHINESE_ORDINALS[ones - 1] if ones else "")
