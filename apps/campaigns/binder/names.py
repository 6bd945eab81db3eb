"""File and folder names inside a binder that every system can open: Windows refuses
`\\ / : * ? " < > |`, control characters, trailing dots and spaces, its reserved device names
(CON, NUL, COM1 …) and paths past 260 characters; two pieces may share a title."""

from __future__ import annotations

import re

FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
SPACES = re.compile(r"\s+")
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
SECTION_MAX = 40  # a section folder
ITEM_MAX = 60  # an item folder
FILE_MAX = 80  # a file name, extension included
EXT_MAX = 10


def clean(text: str, limit: int, *, fallback: str = "_") -> str:
    """One path component: forbidden characters become "_", whitespace one space, cut to `limit`
    characters, no trailing dot or space, never a reserved device name, never empty."""
    value = FORBIDDEN.sub("_", SPACES.sub(" ", str(text or ""))).strip()
    value = value[:limit].rstrip(". ")
    if not value:
        value = fallback
    if value.split(".", 1)[0].upper() in RESERVED:
        value = "_" + value
    return value


def split_ext(name: str) -> tuple[str, str]:
    """("整改前", ".JPG") from "整改前.JPG"; an extension is short and has no spaces."""
    stem, dot, ext = str(name or "").rpartition(".")
    if not dot or not stem or len(ext) > EXT_MAX or not ext.isalnum():
        return str(name or ""), ""
    return stem, "." + ext


def file_name(stem: str, ext: str, limit: int = FILE_MAX) -> str:
    ext = clean(ext, EXT_MAX, fallback="").lower() if ext else ""
    if ext and not ext.startswith("."):
        ext = "." + ext
    return clean(stem, limit - len(ext)) + ext


class Folder:
    """The names already used in one folder; `claim(name)` returns a unique one ("名称 (2).pdf").
    Windows compares names without case, so does this."""

    def __init__(self):
        self.used: set[str] = set()

    def claim(self, name: str, limit: int = FILE_MAX) -> str:
        stem, ext = split_ext(name)
        candidate, number = name, 1
        while candidate.casefold() in self.used:
            number += 1
            suffix = f" ({number})"
            candidate = clean(stem, limit - len(ext) - len(suffix)) + suffix + ext
        self.used.add(candidate.casefold())
        return candidate


def section_folder(section, position: int) -> str:
    """ "01 爱国卫生组织管理": the section's number in the standard (its code when it is a number,
    else its position), two digits so folders sort in the standard's order."""
    code = str(section.code or "").strip()
    number = f"{int(code):02d}" if code.isdigit() else (code or f"{position:02d}")
    return clean(f"{number} {section.name}", SECTION_MAX)


def item_folder(item) -> str:
    """ "1.1 成立创卫领导小组": the item's code and (the start of) its text."""
    return clean(f"{item.code} {item.text}", ITEM_MAX)
