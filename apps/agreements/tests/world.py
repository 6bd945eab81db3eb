"""The agreements' part of the access-matrix world: four shops of 甲一社区 with 门前三包 agreements
issued by 甲一社区 (one signed with a photo and a scan, the others waiting), the job that made them."""

from apps.agreements.models import AgreementTemplate
from apps.agreements.services.agreements import agreement_sign
from apps.agreements.tests.factories import add_shops, agreements_of, atype, generate, jpeg, pdf


def extend(o) -> None:
    add_shops(o, o.comm_a1, 3)
    o.agreement_type_partner = atype("partner")
    o.agreement_template = AgreementTemplate.objects.get(agreement_type__code="frontage3")
    o.agreement_job = generate(o.street, "frontage3", o.comm_a1)
    first, o.agreement_to_sign, o.agreement_to_refuse, o.agreement_to_cancel = agreements_of(o.agreement_job)[:4]
    from django.utils import timezone

    o.agreement = agreement_sign(
        actor=o.community,
        agreement=first,
        signatory_name="李签",
        signatory_phone="13900000001",
        signed_on=timezone.localdate(),
        photos=[jpeg()],
        scan=pdf(),
    )
    o.agreement_photo = o.agreement.photos.get()
    o.agreement_scan = o.agreement.scans.get()
