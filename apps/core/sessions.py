"""The session store: Django's database sessions, taking only keys of Django's own shape.

A session key comes from a cookie, which a client can set to anything; Django's store checks
only its length before looking it up, so a NUL in the cookie reached PostgreSQL (which cannot
compare a NUL in text) and every page, the error page included, answered 500. A key that is
not 32 lower-case letters and digits (what Django issues) is no session: the visitor is anonymous.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{32}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and SESSION_KEY.fullmatch(key) is not None
