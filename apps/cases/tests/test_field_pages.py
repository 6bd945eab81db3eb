"""Field pages: a refused report keeps its photo and every field; irreversible steps ask first."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.cases import services, workflow
from apps.cases.models import Case
from apps.photos import pending

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def _kept_tokens(html: str) -> list[str]:
    return re.findall(r'name="kept_photos" value="([^"]+)"', html)


def _pending_files() -> list[str]:
    """The kept photos (each has its thumbnail beside it, `<name>.thumb`)."""
    try:
        return [name for name in default_storage.listdir(pending.FOLDER)[1] if not name.endswith(".thumb")]
    except FileNotFoundError:
        return []


def test_refused_report_keeps_the_photo_and_every_field(client, org, cats):
    client.force_login(org.grid)
    data = {
        "category": cats["exposed_garbage"].pk,
        "description": "x" * 1001,  # over the limit: refused by the server
        "address": "人民路1号",
        "lat": "31.467000",
        "lng": "104.683000",
        "jurisdiction": org.grid_a1.pk,
        "photos": [jpeg()],
    }
    response = client.post(reverse("cases:case_report"), data)
    html = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    assert 'class="errorlist"' in html  # the description's error is shown next to it
    # Every field comes back as entered.
    assert f'<option value="{cats["exposed_garbage"].pk}" selected>' in html
    assert "人民路1号" in html and "x" * 1001 in html
    assert 'value="31.467000"' in html and 'value="104.683000"' in html
    assert f'<option value="{org.grid_a1.pk}" selected>' in html
    # The photo is kept server-side: a token and a thumbnail, no need to choose it again.
    tokens = _kept_tokens(html)
    assert len(tokens) == 1 and 'data-testid="kept-photos"' in html and "data:image/jpeg;base64," in html
    assert len(_pending_files()) == 1

    data.update(description="垃圾堆", photos=[], kept_photos=tokens)
    response = client.post(reverse("cases:case_report"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.photos.count() == 1 and case.description == "垃圾堆"
    assert _pending_files() == []  # used up


def test_kept_and_new_photos_are_both_attached(client, org, cats):
    client.force_login(org.grid)
    data = {"category": cats["exposed_garbage"].pk, "description": "垃圾", "photos": [jpeg()]}
    response = client.post(reverse("cases:case_report"), data)  # no place: refused
    assert response.status_code == 400 and "请定位" in response.content.decode()
    tokens = _kept_tokens(response.content.decode())
    data.update(address="人民路1号", jurisdiction=org.grid_a1.pk, photos=[jpeg(color=(0, 0, 200))], kept_photos=tokens)
    assert client.post(reverse("cases:case_report"), data).status_code == 302
    assert Case.objects.get().photos.count() == 2


def test_unticked_kept_photo_is_left_out(client, org, cats):
    client.force_login(org.grid)
    data = {"category": cats["exposed_garbage"].pk, "photos": [jpeg()]}
    client.post(reverse("cases:case_report"), data)
    data.update(address="人民路1号", jurisdiction=org.grid_a1.pk, photos=[])  # the box was unticked
    response = client.post(reverse("cases:case_report"), data)
    # The category needs a photo, and the unticked one is not sent.
    assert response.status_code == 400 and "该类问题必须拍照上报" in response.content.decode()
    assert not Case.objects.exists()


def test_a_token_is_only_good_for_its_owner_and_cannot_be_forged(client, org, cats):
    client.force_login(org.grid)
    response = client.post(reverse("cases:case_report"), {"category": cats["exposed_garbage"].pk, "photos": [jpeg()]})
    tokens = _kept_tokens(response.content.decode())
    assert pending.valid_tokens(tokens, owner=str(org.grid.pk)) == tokens
    assert pending.valid_tokens(tokens, owner="public") == []
    assert pending.valid_tokens([tokens[0] + "x", "garbage"], owner=str(org.grid.pk)) == []
    # Another reporter posting the token gets no photo from it.
    client.force_login(org.community)
    data = {"category": cats["exposed_garbage"].pk, "address": "某处", "jurisdiction": org.grid_a1.pk}
    response = client.post(reverse("cases:case_report"), {**data, "kept_photos": tokens})
    assert response.status_code == 400 and "该类问题必须拍照上报" in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_that_is_not_a_photo_is_not_kept(client, org, cats):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org.grid)
    bad = SimpleUploadedFile("a.jpg", b"<script>", content_type="image/jpeg")
    response = client.post(reverse("cases:case_report"), {"category": cats["exposed_garbage"].pk, "photos": [bad]})
    assert response.status_code == 400 and _kept_tokens(response.content.decode()) == []


def test_duplicate_warning_keeps_the_photo_for_the_next_step(client, org, cats):
    client.force_login(org.grid)
    base = {
        "category": cats["exposed_garbage"].pk,
        "address": "人民路1号",
        "lat": "31.467000",
        "lng": "104.683000",
        "jurisdiction": org.grid_a1.pk,
    }
    client.post(reverse("cases:case_report"), {**base, "photos": [jpeg()]})
    response = client.post(reverse("cases:case_report"), {**base, "lat": "31.467050", "photos": [jpeg()]})
    html = response.content.decode()
    assert 'data-testid="duplicates"' in html
    tokens = _kept_tokens(html)
    response = client.post(
        reverse("cases:case_report"), {**base, "lat": "31.467050", "not_duplicate": "1", "kept_photos": tokens}
    )
    assert response.status_code == 302 and Case.objects.order_by("-pk").first().photos.count() == 1


def test_public_report_keeps_the_photo(client, org, cats):
    from apps.organization.models import Jurisdiction

    square = [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]]
    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(boundary={"type": "Polygon", "coordinates": square})
    data = {"category": cats["graffiti"].pk, "description": "小广告", "reporter_phone": "1" * 31, "photos": [jpeg()]}
    data.update(lat="31.465", lng="104.685")
    response = client.post(reverse("public:public_report"), data)
    html = response.content.decode()
    assert response.status_code == 400 and "小广告" in html
    tokens = _kept_tokens(html)
    assert len(tokens) == 1
    data.update(reporter_phone="13912345678", photos=[], kept_photos=tokens)
    assert client.post(reverse("public:public_report"), data).status_code == 302
    assert Case.objects.get().photos.count() == 1


def test_hotline_keeps_the_photo(client, org, cats):
    client.force_login(org.community)
    data = {
        "category": cats["exposed_garbage"].pk,
        "address": "人民路1号",
        "jurisdiction": org.grid_a1.pk,
        "reporter_name": "张三",
        "received_at": "",  # required: refused
        "photos": [jpeg()],
    }
    response = client.post(reverse("cases:hotline_create"), data)
    html = response.content.decode()
    assert response.status_code == 400 and "张三" in html and "人民路1号" in html
    data.update(received_at="2026-03-02T09:00", hotline_ticket="RX1", photos=[], kept_photos=_kept_tokens(html))
    assert client.post(reverse("cases:hotline_create"), data).status_code == 302
    assert Case.objects.get().photos.count() == 1


IRREVERSIBLE = {"reject", "merge", "verify_pass", "void"}


def test_every_irreversible_case_step_asks_for_confirmation():
    for name in IRREVERSIBLE:
        assert workflow.CASE_WORKFLOW[name].confirm, name


def test_case_page_buttons_carry_the_tables_question(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    client.force_login(org.community)
    html = client.get(case.get_absolute_url()).content.decode()
    for name in ("reject", "void"):
        form = re.search(rf'<form[^>]*data-action="{name}"[^>]*>', html).group(0)
        assert f'data-confirm="{workflow.CASE_WORKFLOW[name].confirm}"' in form
    assert "onclick" not in html


def test_an_anonymous_visitor_cannot_use_another_visitors_kept_photo(client, settings, tmp_path):
    """Kept photos belong to the session that sent them; another visitor's token is ignored."""
    from django.test import Client

    from apps.cases.tests.conftest import jpeg

    settings.MEDIA_ROOT = tmp_path
    first = Client()
    first.get("/public/report/")
    first.post("/public/report/", {"photos": jpeg(), "description": ""})
    session = first.session.session_key
    token = pending.keep_uploads([jpeg()], owner=f"public:{session}")[0]
    other = Client()
    other.get("/public/report/")
    html = other.post("/public/report/", {pending.FIELD: token, "description": ""}).content.decode()
    assert token not in html
    assert pending.valid_tokens([token], owner=f"public:{session}") == [token]


def test_at_most_max_kept_photos_are_kept_for_one_form(org, settings, tmp_path):
    from apps.cases.tests.conftest import jpeg

    settings.MEDIA_ROOT = tmp_path
    tokens = pending.keep_uploads([jpeg() for _ in range(pending.max_kept() + 4)], owner="1")
    assert len(tokens) == pending.max_kept()
    assert len(pending.valid_tokens(tokens * 3, owner="1")) == pending.max_kept()
