from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class ChosenLanguageMiddleware:
    """Chinese unless the user chose otherwise (language cookie set by the switch).

    Browser Accept-Language headers are ignored on purpose: offices share machines
    with English-language browsers, and the product's working language is Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# C0 control characters (U+0000–U+001F). Tab, newline and carriage return are text in a POST
# body (a description typed over several lines); anywhere else they have no business.
_CONTROL = {chr(code) for code in range(32)}
_TEXT_CONTROL = _CONTROL - {"\t", "\n", "\r"}
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacters(Exception):
    """A parameter carried a control character; `public_message` is safe to show."""

    def __init__(self, message):
        self.public_message = message
        super().__init__(str(message))


def _has_control(text: str, forbidden: set[str]) -> bool:
    return not forbidden.isdisjoint(text)


def control_character_problem(request) -> str | None:
    """The message for the path or the first parameter (GET or POST, key or value) holding a control
    character (a path segment is a parameter too: /api/open311/v2/services/<code>.json)."""
    from django.utils.translation import gettext as _

    if _has_control(request.path, _CONTROL):
        return _("网址中含有不允许的控制字符（如 NUL）。")
    for key, values in request.GET.lists():
        if _has_control(key, _CONTROL) or any(_has_control(v, _CONTROL) for v in values):
            return _("查询参数「{name}」含有不允许的控制字符（如 NUL）。").format(name=_printable(key))
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        for key, values in request.POST.lists():
            if _has_control(key, _CONTROL) or any(_has_control(v, _TEXT_CONTROL) for v in values):
                return _("表单字段「{name}」含有不允许的控制字符（如 NUL）。").format(name=_printable(key))
    return None


def _printable(text: str) -> str:
    return "".join(ch if ch not in _CONTROL else "?" for ch in text)[:50]


class ControlCharacterGuardMiddleware:
    """Refuses NUL and other control characters in any request parameter with a 400 and a message.

    Belt and braces in front of the strict filtersets (apps/core/filters.py): PostgreSQL cannot
    store or compare a NUL in text, so one in `?q=` used to end in a 500. JSON paths (/api/,
    Open311 under it) answer in their own error shape; pages get the 400 page with the message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = control_character_problem(request)
        if message is None:
            return self.get_response(request)
        return self.refuse(request, message)

    def refuse(self, request, message):
        from .api import api_error_response, is_api_request

        if is_api_request(request):
            return api_error_response(400, message, "invalid", request=request)
        from .views import error_400

        return error_400(request, ControlCharacters(message))


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every page an authenticated user sees and on the
    login, logout and password pages, so a shared office computer's browser cache or a proxy
    keeps no copy of personal data (photos served to a signed-in user included). Static files
    (WhiteNoise answers them before this) stay cacheable."""

    SENSITIVE_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/password/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(self.SENSITIVE_PREFIXES):
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
