"""Second review round: renewal by the issuer's desk only, the signed page kept to viewers who may
reveal the signatory, the issue race, the signing date, the figures' links."""

from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from apps.agreements import evidence
from apps.agreements.models import Agreement, AgreementType
from apps.agreements.selectors import agreement_list
from apps.agreements.services import generation
from apps.agreements.services.agreements import agreement_renew, agreement_sign
from apps.agreements.tests.factories import add_shops, agreements_of, atype, generate, jpeg, pdf
from apps.core import personal
from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent
from apps.organization.choices import UnitStatus
from apps.organization.models import Unit

pytestmark = pytest.mark.django_db


def _sign(o, agreement, actor=None, **extra):
    values = {
        "signatory_name": "李签",
        "signatory_phone": "13900000001",
        "signed_on": timezone.localdate(),
        "photos": [jpeg()],
        **extra,
    }
    return agreement_sign(actor=actor or o.community, agreement=agreement, **values)


def test_a_partys_desk_cannot_renew_the_issuers_agreement(org):
    """门前三包 issued by 甲街道 to a shop of 甲一社区: the community signs it, not renews (voids) it."""
    add_shops(org, org.comm_a1, 1)
    agreement = _sign(org, agreements_of(generate(org.street, "frontage3", org.street_a))[0])
    today = timezone.localdate()
    with pytest.raises(DomainError):
        agreement_renew(actor=org.community, agreement=agreement, starts_on=today, ends_on=today + timedelta(days=365))
    agreement.refresh_from_db()
    assert agreement.is_latest and agreement.status == "signed"
    new = agreement_renew(actor=org.street, agreement=agreement, starts_on=today, ends_on=today + timedelta(days=365))
    assert new.renews_id == agreement.pk and new.jurisdiction_id == org.street_a.pk


def test_the_signed_page_is_served_only_to_who_may_reveal_the_signatory(client, org):
    add_shops(org, org.comm_a1, 1)
    agreement = _sign(org, agreements_of(generate(org.street, "frontage3", org.comm_a1))[0], scan=pdf())
    photo, scan = agreement.photos.get(), agreement.scans.get()
    photo_url = reverse("agreements:photo", args=[photo.pk, "thumb"])
    scan_url = reverse("agreements:scan", args=[scan.pk])
    assert personal.viewer_level(org.leader, agreement, "signatory_phone")[1] == personal.Level.MASKED
    client.force_login(org.leader)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="signed-page-withheld"' in page and photo_url not in page and scan_url not in page
    assert client.get(photo_url).status_code == 403
    assert client.get(scan_url).status_code == 403
    assert not AuditEvent.objects.filter(action=personal.REVEAL_ACTION).exists()
    client.force_login(org.street)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert photo_url in page and scan_url in page
    assert client.get(photo_url).status_code == 200
    assert client.get(scan_url).status_code == 200
    events = AuditEvent.objects.filter(action=personal.REVEAL_ACTION, object_id=str(agreement.pk))
    assert events.count() == 2 and {e.actor_id for e in events} == {org.street.pk}


def _issue(o):
    return generation.agreement_issue(
        actor=o.street,
        agreement_type=atype("pledge"),
        issuer=o.street_a,
        party_unit=o.unit_a1b,
        starts_on=timezone.localdate(),
    )


def test_issue_locks_the_type_and_a_lost_race_is_a_domain_error(org):
    manager = AgreementType.objects
    with mock.patch.object(manager, "select_for_update", wraps=manager.select_for_update) as lock:
        _issue(org)
    lock.assert_called()  # the type's row, as generation_start (SQLite has no FOR UPDATE to see)
    Agreement.objects.filter(party_unit=org.unit_a1b).delete()
    # Another request inserts the party's agreement between the check and this insert.
    original, raced = generation._issuers_letter, []

    def racing(*args, **kwargs):
        if not raced:
            raced.append(True)
            _issue(org)
        return original(*args, **kwargs)

    with (
        mock.patch.object(generation, "_issuers_letter", side_effect=racing),
        pytest.raises(DomainError, match="刚刚由他人签发"),
    ):
        _issue(org)
    assert raced  # the racing insert ran (rolled back with this request's transaction here)


def test_signing_date_not_before_the_day_the_agreement_was_generated(org):
    add_shops(org, org.comm_a1, 1)
    agreement = agreements_of(generate(org.street, "frontage3", org.comm_a1))[0]
    with pytest.raises(DomainError, match="不能早于责任书生成日期"):
        _sign(org, agreement, signed_on=timezone.localdate() - timedelta(days=1))
    assert _sign(org, agreement).signed_on == timezone.localdate()


@pytest.mark.parametrize("name", ["signed", "refused", "expired"])
def test_each_figure_links_exactly_the_records_it_counts(org, name):
    shops = add_shops(org, org.comm_a1, 3)
    rows = agreements_of(generate(org.street, "frontage3", org.comm_a1))
    by_unit = {a.party_unit_id: a for a in rows}
    for shop in shops:
        agreement = by_unit[shop.pk]
        if name == "refused":
            from apps.agreements.services.agreements import agreement_refuse

            agreement_refuse(actor=org.community, agreement=agreement, reason="不同意")
        else:
            agreement = _sign(org, agreement)
            if name == "expired":
                Agreement.objects.filter(pk=agreement.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    Unit.objects.filter(pk=shops[0].pk).update(status=UnitStatus.CANCELLED)  # a closed shop: not counted
    figure = evidence._count_figure(name)(org.comm_a1.path, None, None)
    filters = QueryDict(urlsplit(figure.url).query)
    listed = agreement_list(user=org.street, filters=filters)
    assert int(figure.value) == listed.count() == 2
