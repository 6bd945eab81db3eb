"""The access check every view and endpoint gets (NetBox-style generated permission tests).

For one URL it proves: anonymous -> login page (401 for the API), a role without the
permission -> 403, a user of another jurisdiction -> 404, the allowed user -> success.
The allowed request runs last because for POST views it performs the write.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url


def _request(client, method: str, url: str, data: dict | None, api: bool):
    call = getattr(client, method)
    if api and method in ("post", "put", "patch"):
        return call(url, data or {}, content_type="application/json")
    return call(url, data or {})


def assert_access(
    client,
    url: str,
    *,
    allowed,
    other=None,
    forbidden=None,
    method: str = "get",
    data: dict | None = None,
    ok_status: tuple = (200,),
    api: bool = False,
):
    client.logout()
    response = _request(client, method, url, data, api)
    if api:
        assert response.status_code == 401, f"anonymous {method} {url}: {response.status_code}"
    else:
        assert response.status_code == 302, f"anonymous {method} {url}: {response.status_code}"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response["Location"]
    if forbidden is not None:
        client.force_login(forbidden)
        response = _request(client, method, url, data, api)
        assert response.status_code == 403, f"{forbidden.role} {method} {url}: {response.status_code}"
    if other is not None:
        client.force_login(other)
        response = _request(client, method, url, data, api)
        assert response.status_code == 404, (
            f"other jurisdiction {other.username} {method} {url}: {response.status_code}"
        )
    client.force_login(allowed)
    response = _request(client, method, url, data, api)
    assert response.status_code in ok_status, f"{allowed.username} {method} {url}: {response.status_code}"
    client.logout()
    return response


@contextmanager
def data_for_module(django_db_blocker):
    """Data built once for a test module and rolled back after it (not flushed: a flush would
    also remove the rows the migrations seed, which later modules rely on).

    Use in a module-scoped fixture: `with data_for_module(django_db_blocker): build(); yield`.
    Each test's own transaction is a savepoint inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
