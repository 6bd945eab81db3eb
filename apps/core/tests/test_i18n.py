"""Every Chinese UI string has an English translation, and the switch uses it."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "\nmsgstr " not in f"\n{block}":
            continue
        head, tail = f"\n{block}".split("\nmsgstr ", 1)
        msgid = "".join(re.findall(r'"(.*)"', head.split("\nmsgid ", 1)[1]))
        if msgid:
            yield msgid, "".join(re.findall(r'"(.*)"', tail)), "#, fuzzy" in block


def test_english_catalogue_is_complete():
    untranslated = [msgid for msgid, msgstr, fuzzy in _entries() if not msgstr or fuzzy]
    assert not untranslated, f"translate these in {PO}: {untranslated}"


def test_placeholders_survive_translation():
    for msgid, msgstr, _fuzzy in _entries():
        assert set(re.findall(r"\{\w+\}|%\(\w+\)s", msgid)) == set(re.findall(r"\{\w+\}|%\(\w+\)s", msgstr)), msgid


def test_messages_translate():
    from apps.core.exceptions import ConcurrentEdit

    with translation.override("en"):
        assert str(ConcurrentEdit().message).startswith("This record")
    with translation.override("zh-hans"):
        assert str(ConcurrentEdit().message) == "该记录已被他人修改，请刷新页面后重新编辑。"
