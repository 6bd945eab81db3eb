"""A notification's text kept as a catalogue key and its parameters, so each reader sees it in
their own language (the message is written in whatever language the actor's request used, or none).

    notify(users, kind="handled", target=case,
           message=Message(gettext_noop("{code} 已反馈整改，请核查。"), code=case.code))
    Message(gettext_noop("整改通知：{code} {category} …"), code=case.code, category=term(case.category.name))

`gettext_noop` marks the key for `makemessages`; `term()` marks a parameter that is itself a
catalogue entry (a seeded category name, a choice label) and is translated when shown. Other
parameters (codes, names people typed, dates) are shown as given.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext


def term(value) -> dict:
    """A parameter translated at display time: its msgid (and context), not today's translation.

    Takes a msgid (e.g. a seeded name) or a lazy label such as `AppealStatus.UPHELD.label`.
    """
    if isinstance(value, Promise):
        func, args = value.__reduce__()[1][:2]
        if func is gettext and len(args) == 1:
            return {"term": str(args[0])}
        if func is pgettext and len(args) == 2:
            return {"term": str(args[1]), "context": str(args[0])}
    return {"term": str(value)}


def _stored(value):
    """JSON-safe: terms and plain scalars as they are, anything else (dates, decimals) as its text."""
    if isinstance(value, dict) and "term" in value:
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _shown(value):
    if isinstance(value, dict) and "term" in value:
        context = value.get("context")
        return pgettext(context, value["term"]) if context else gettext(value["term"])
    return "" if value is None else value


class _Missing(dict):
    """Format values where a missing name shows as itself ("{code}") instead of raising."""

    def __missing__(self, name):
        return "{" + name + "}"


def render(key: str, params: dict | None) -> str:
    """The text in the active language; the untranslated key if a translation is broken. A name
    missing from `params` shows as its placeholder: reading a message never fails."""
    values = _Missing({name: _shown(value) for name, value in (params or {}).items()})
    for text in (gettext(key), key):
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return key


class Message:
    """A message key (marked with `gettext_noop`) and its parameters, rendered when read."""

    def __init__(self, key: str, /, **params):
        # A lazy text is kept by its msgid (not today's translation); contexts are not supported.
        self.key = term(key)["term"] if isinstance(key, Promise) else str(key)
        self.params = {name: _stored(value) for name, value in params.items()}

    def __str__(self) -> str:
        return render(self.key, self.params)

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.params!r})"

    def in_default_language(self) -> str:
        """The text as stored for old readers, SMS/e-mail and case notes (settings.LANGUAGE_CODE)."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self)
