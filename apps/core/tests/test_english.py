"""English mode: no Chinese punctuation in the pages' own words, reference data translated,
notifications shown in the reader's language.

Every GET page of the access matrix is opened by its allowed user (with the case, sheets, appeal
and ranking of the apps' test worlds), plus each role's home page and the public pages. What
people typed (names, addresses, notes, item texts) stays Chinese, so every text value stored in
the database is removed from the page before looking; what is left is the page's own words.
"""

import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from apps.cases import services as case_services
from apps.cases.tests.conftest import jpeg
from apps.core.registry import registry
from apps.core.tests.test_access import World
from apps.inspections.choices import AppealStatus
from apps.notifications.messages import Message, term
from apps.notifications.models import Notification
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

CHINESE_PUNCTUATION = re.compile("[：（），、。；]")
PAGES = [row for row in registry.access_rows() if row.method == "get" and not row.api]
ROLE_USERS = ["admin", "office", "street", "community", "grid", "inspector", "unit_contact", "leader"]
PUBLIC_PAGES = ["accounts:login", "public:public_report", "public:public_track"]
# Shown as stored, not as page text: the stored notification text is what this file checks.
NOT_DATA = {"notifications.notification"}


@pytest.fixture
def world(org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return World(org)


RECORDED = re.compile(r"<article[^>]*data-recorded[^>]*>.*?</article>", re.S)


def _stored_texts() -> list[str]:
    """Every Chinese text value in the database (names, addresses, notes …), longest first."""
    texts = set()
    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            texts.update(value for value in row if value and re.search(r"[\u3000-\u9fff\uff00-\uffef]", value))
    return sorted(texts, key=len, reverse=True)


def _leftovers(content: bytes, texts: list[str]) -> list[str]:
    """Chinese punctuation left once stored texts are removed, each with some context."""
    page = html.unescape(content.decode())
    # A document shown as written (a generated report's text: data-recorded) is recorded content.
    page = RECORDED.sub("", page)
    for text in texts:
        page = page.replace(text, "")
    return [page[max(m.start() - 40, 0) : m.end() + 20] for m in CHINESE_PUNCTUATION.finditer(page)]


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en"})


def visit_every_page(client, world, *, choose_language, leftovers, texts_of=None) -> dict[str, list[str]]:
    """url -> what `leftovers(content, texts)` finds on every page above, each opened by the user
    who may open it, in the language `choose_language(client)` sets; `texts` are the recorded
    texts to ignore (`texts_of()`, read once the first page has built every app's world)."""
    texts_of = texts_of or _stored_texts
    pages = [(reverse(row.url_name, args=row.args(world) if row.args else None), row.allowed) for row in PAGES]
    pages += [(reverse("core:home"), role) for role in ROLE_USERS]
    choose_language(client)
    texts, found = None, {}
    for url, who in pages:
        client.force_login(getattr(world, who))
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        texts = texts if texts is not None else texts_of()
        if left := leftovers(response.content, texts):
            found[f"{who} {url}"] = left
    client.logout()  # the test client forgets its cookies, the language with them
    choose_language(client)
    for name in PUBLIC_PAGES:
        response = client.get(reverse(name))
        if left := leftovers(response.content, texts or texts_of()):
            found[reverse(name)] = left
    return found


def test_english_pages_of_every_role_have_no_chinese_punctuation(client, world):
    world.sheet  # noqa: B018 (builds every app's world: the case, sheets, an appeal, a ranking)
    found = visit_every_page(client, world, choose_language=_english, leftovers=_leftovers)
    assert not found, "\n".join(f"{url}: {hits[:3]}" for url, hits in found.items())


def test_reference_names_are_english_in_dropdowns_and_labels(client, world):
    _english(client)
    client.force_login(world.grid)
    page = client.get(reverse("cases:case_report")).content.decode()
    assert "Exposed garbage" in page and "暴露垃圾" not in page
    client.force_login(world.community)
    page = client.get(reverse("organization:unit_create")).content.decode()
    assert "Property company" in page
    page = client.get(reverse("core:home")).content.decode()
    assert "Community" in page
    client.force_login(world.admin)
    page = client.get(reverse("cases:category_list")).content.decode()
    assert "Exposed garbage" in page and "Sanitation" in page and "暴露垃圾" not in page
    client.force_login(world.street)
    page = client.get(reverse("inspections:plan_create")).content.decode()
    assert "Property company" in page and "物业公司" not in page  # the unit types of a plan


def test_reference_str_follows_the_language_and_keeps_typed_names(org):
    from apps.organization.models import UnitType

    property_type = UnitType.objects.get(code="property")
    typed = UnitType.objects.create(code="typed", name="自定义类型")
    with translation.override("en"):
        assert str(property_type) == "Property company"
        assert str(typed) == "自定义类型"
    with translation.override("zh-hans"):
        assert str(property_type) == property_type.name


def test_a_notification_written_in_chinese_reads_in_english(client, world):
    with translation.override("zh-hans"):
        case_services.case_handle(actor=world.unit_contact, case=world.case, note="已清理。", photos=[jpeg()])
    row = Notification.objects.filter(recipient=world.community, kind="handled").get()
    assert row.message == f"{world.case.code} 已反馈整改，请核查。"  # the stored fallback (SMS, e-mail)
    assert row.message_key and row.params == {"code": world.case.code}
    _english(client)
    # The inbox of the community, and the street's home page (its unread-notices panel).
    for who, url in ((world.community, reverse("notifications:list")), (world.street, reverse("core:home"))):
        client.force_login(who)
        page = html.unescape(client.get(url).content.decode())
        assert f"submitted for {world.case.code}" in page, url
        assert "已反馈整改" not in page, url
    inbox = html.unescape(client.get(reverse("notifications:list")).content.decode())
    assert f"{world.case.code} Exposed garbage" in inbox  # the title (what it is about) too
    assert row.title == f"{world.case.code} 暴露垃圾"


def test_translatable_parameters_are_stored_as_msgids(org):
    [row] = notify(
        [org.office],
        kind="appeal",
        message=Message(
            gettext_noop("申诉复核结果：{item} {status}。"), item="1.1", status=term(AppealStatus.UPHELD.label)
        ),
    )
    assert row.params == {"item": "1.1", "status": {"term": "维持扣分"}}
    assert row.message == "申诉复核结果：1.1 维持扣分。"
    with translation.override("en"):
        assert not CHINESE_PUNCTUATION.search(row.text) and "1.1" in row.text and "维持" not in row.text


def test_old_rows_without_a_key_show_their_stored_text(org):
    [row] = notify([org.office], kind="info", message="旧通知")
    with translation.override("en"):
        assert row.text == "旧通知" and row.message_key == ""


def test_form_page_titles_follow_the_reader_language(client, world):
    """A view's class-level title is translated when the page is shown, not once at import (a
    `gettext` there froze it in the language the process started in)."""
    _english(client)
    client.force_login(world.office)
    page = client.get(reverse("inspections:template_create")).content.decode()
    assert "New checklist" in page and "新建检查表" not in page
    client.force_login(world.street)
    page = client.get(reverse("inspections:plan_create")).content.decode()
    assert "New inspection plan" in page and "新建检查计划" not in page


def test_the_english_catalogue_has_every_string_of_the_code():
    """Every msgid makemessages finds in the code and templates has an English translation (a
    missing one shows Chinese on an English page, where punctuation alone may not betray it)."""
    import polib
    from django.conf import settings

    from apps.core.management.commands.hant_catalogue import extracted_entries

    english = polib.pofile(str(settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po"))
    translated = {(e.msgctxt, e.msgid) for e in english if not e.obsolete and (e.msgstr or e.msgstr_plural)}
    missing = [e.msgid for e in extracted_entries() if (e.msgctxt, e.msgid) not in translated]
    assert missing == []
