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
