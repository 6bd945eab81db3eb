"""Test-only authentication backend.

Django's test `client.login()` calls `authenticate()` without a request, which axes refuses
(it cannot tell the address). Tests that prove the lockout post to the login page, with a
request, so axes stays on for them; a call without a request skips only the lockout check.
"""

from axes.backends import AxesStandaloneBackend


class AxesUnlessNoRequest(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
