"""Traditional Chinese (zh-hant, issue 15): the catalogue is the Simplified strings through OpenCC
(`manage.py hant_catalogue`; `.ci/run` checks it is in step), and every page's own words come out
in Traditional characters. What people typed stays as typed, so stored texts are removed first,
as the English test does (test_english.py)."""

import html
import re

import opencc
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from apps.core.management.commands.hant_catalogue import CONFIG
from apps.core.tests.test_english import _stored_texts, visit_every_page, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CONVERTER = opencc.OpenCC(CONFIG)
HAN = re.compile(r"[\u4e00-\u9fff]+")
MASKED = re.compile(r"[\u4e00-\u9fff]\*+")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _recorded_texts() -> list[str]:
    """Texts recorded as they were written: typed values (test_english._stored_texts) and the
    strings inside JSON values (audit before/after, a mock inspection's drawn sample, survey
    counts as recorded), which stay in the words of the day they were written."""
    texts = set(_stored_texts())
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model._default_manager.values_list(*fields) if fields else ():
            texts.update(text for value in row for text in _strings(value) if HAN.search(text))
    return sorted(texts, key=len, reverse=True)


def _simplified_left(content: bytes, texts: list[str]) -> list[str]:
    """Runs of Han characters that OpenCC would still change, once recorded texts, masked names
    (赵*) and the language switch's names (each in its own script: 简体中文) are removed."""
    page = html.unescape(content.decode())
    # A one-character text (a unit such as 分 or 件 recorded beside a figure, an answer 对) is removed
    # only where it stands alone: taken out of a word (百分制得分) it would leave a run the page never
    # had (百制得, which OpenCC turns into 百製得).
    for text in [*texts, *(name for _code, name in settings.LANGUAGES)]:
        if len(text) == 1:
            page = re.sub(rf"(?<![\u4e00-\u9fff]){re.escape(text)}(?![\u4e00-\u9fff])", " ", page)
        else:
            page = page.replace(text, " ")
    page = MASKED.sub("", page)
    return sorted({run for run in HAN.findall(page) if CONVERTER.convert(run) != run})


def _traditional(client) -> None:
    client.post(reverse("set_language"), {"language": "zh-hant"})


def test_the_catalogue_gives_traditional_words():
    with translation.override("zh-hant"):
        assert gettext("修改密码") == "修改密碼"
        assert gettext("创卫通") == "創衛通"
        assert gettext("单位") == "單位"
    with translation.override("zh-hans"):
        assert gettext("修改密码") == "修改密码"


def test_every_page_of_every_role_is_in_traditional_characters(client, world):  # noqa: F811
    world.sheet  # noqa: B018 (builds every app's world, as the English test does)
    found = visit_every_page(
        client, world, choose_language=_traditional, leftovers=_simplified_left, texts_of=_recorded_texts
    )
    assert not found, "\n".join(f"{url}: {runs[:5]}" for url, runs in found.items())
