"""Generate the Traditional Chinese catalogue (zh-hant) from the Simplified source strings.

The product's msgids are Simplified Chinese, so the Traditional catalogue needs no translator:
every msgid (and plural) is converted with OpenCC's `s2tw` (Taiwan standard characters: 為, 衛,
線, 著, as the Traditional seed documents are written), phrases untouched, so the office's terms
stay theirs. The msgids are those `makemessages` finds in the code and templates, plus the
English catalogue's entries (strings built at run time, such as the units' `pgettext("unit", …)`,
which xgettext cannot see). The file is written without source locations, so it changes only
when a string does.

    manage.py hant_catalogue           # (re)write locale/zh_Hant/LC_MESSAGES/django.po
    manage.py hant_catalogue --check   # exit 1 if the committed catalogue is out of date (CI)

OpenCC (the `opencc` package, pinned) is the reference converter between the two scripts; polib
reads and writes the catalogues.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LOCALE = "zh_Hant"
CONFIG = "s2tw"
IGNORE = [".venv", ".venv-bench", "node_modules", "var", "static", "test-artifacts", "bench", "tests"]
HEADER = {
    "Project-Id-Version": "chuangwei",
    "Language": "zh_Hant",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def catalogue_path() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / LOCALE / "LC_MESSAGES" / "django.po"


def extracted_entries() -> list[polib.POEntry]:
    """Every msgid makemessages finds. It writes (merging) into the catalogue's own file, so the
    file's text is kept and put back: `build_catalogue` decides what is written."""
    path = catalogue_path()
    before = path.read_text(encoding="utf-8") if path.exists() else None
    try:
        call_command(
            "makemessages", locale=[LOCALE], ignore_patterns=IGNORE, no_location=True, no_obsolete=True, verbosity=0
        )
        return list(polib.pofile(str(path)))
    finally:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(before, encoding="utf-8")


def build_catalogue() -> polib.POFile:
    converter = opencc.OpenCC(CONFIG)
    english = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"))
    entries: dict[tuple, polib.POEntry] = {}
    for source in [*extracted_entries(), *english]:
        if source.obsolete or not source.msgid:
            continue
        key = (source.msgctxt, source.msgid)
        if key in entries:
            continue
        entry = polib.POEntry(msgid=source.msgid, msgctxt=source.msgctxt)
        if source.msgid_plural:
            entry.msgid_plural = source.msgid_plural
            entry.msgstr_plural = {0: converter.convert(source.msgid_plural)}
        else:
            entry.msgstr = converter.convert(source.msgid)
        entry.flags = [flag for flag in source.flags if flag != "fuzzy"]
        entries[key] = entry
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = dict(HEADER)
    for key in sorted(entries, key=lambda k: (k[0] or "", k[1])):
        catalogue.append(entries[key])
    return catalogue


class Command(BaseCommand):
    help = "Generate locale/zh_Hant from the Simplified msgids with OpenCC (s2tw); --check for CI."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the committed catalogue is out of date")

    def handle(self, *args, check=False, **options):
        text = str(build_catalogue())
        path = catalogue_path()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `manage.py hant_catalogue` and commit it.")
            self.stdout.write(f"{path}: in step with the Simplified strings")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path}: {len(text.splitlines())} lines written")
