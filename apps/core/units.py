"""Units in the reader's language, for every app. Units are stored or declared in Chinese (FigureSource.unit,
OutputMeasure.unit: 次, 份, 吨, 处 …) and translated only when shown: the "unit" context first
(处 is "sites" as a unit, not the inspection sheet's "problem(s)"), then the plain msgid; a unit
the office typed that has no translation is shown as typed."""

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext


def unit_text(unit) -> str:
    unit = str(unit or "")
    if not unit:
        return ""
    text = pgettext("unit", unit)
    return text if text != unit else gettext(unit)


# For declared units (FigureSource.unit): translated, by the rule above, whenever shown.
unit_lazy = lazy(unit_text, str)
