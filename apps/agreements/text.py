"""Filling a template version's placeholders for one agreement (the page, the .docx and the batch)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.documents.docx import chinese_date

PLACEHOLDERS = ("number", "issuer", "party", "zone", "duties", "start", "end", "term")


class _Keep(dict):
    """Unknown placeholders stay as written, so a typo in a template never breaks a page."""

    def __missing__(self, key):
        return "{" + key + "}"


def duties_text(duties: str) -> str:
    lines = [line.strip() for line in (duties or "").splitlines() if line.strip()]
    return "\n".join(_("{n}. {duty}").format(n=i, duty=duty) for i, duty in enumerate(lines, start=1))


def values(agreement) -> dict:
    zone = agreement.zone
    zone_text = zone.name if zone is not None else ""
    if zone is not None and zone.addresses:
        zone_text += _("（{places}）").format(places="、".join(zone.address_list))
    return {
        "number": agreement.number,
        "issuer": agreement.jurisdiction.name,
        "party": agreement.party_name,
        "zone": zone_text or _("本单位门前及周边区域"),
        "duties": duties_text(agreement.duties),
        "start": chinese_date(agreement.starts_on),
        "end": chinese_date(agreement.ends_on),
        "term": _("{start}至{end}").format(
            start=chinese_date(agreement.starts_on), end=chinese_date(agreement.ends_on)
        ),
    }


def fill(body: str, agreement) -> str:
    """The template body with the agreement's values in its {placeholders}."""
    try:
        return body.format_map(_Keep(values(agreement)))
    except (ValueError, IndexError):  # a stray brace: show the text as written
        return body


def check_body(body: str) -> list[str]:
    """The placeholders a body uses that are not known (shown as a warning when a template is saved)."""
    import string

    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(body) if name}
    except ValueError:
        return ["{"]
    return sorted(names - set(PLACEHOLDERS))
