"""Argon2id hashing in production settings, and the upgrade of older hashes at login.

Tests run with a fast hasher (config/settings_test.py); these switch to the production list.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.urls import reverse

import config.settings as production
from apps.accounts import services
from apps.accounts.hashers import Argon2idHasher
from apps.accounts.models import PasswordHistory, User
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db

ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=65536,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_production_hashes_new_passwords_with_argon2id_at_the_stated_costs(production_hashers, org):
    user = User.objects.get(username="t_comm")
    user.set_password(PASSWORD)
    user.save()
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert isinstance(identify_hasher(user.password), Argon2idHasher)
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_a_pbkdf2_hash_is_upgraded_at_the_next_login_and_nothing_else_changes(production_hashers, client, org):
    user = User.objects.get(username="t_comm")
    # A hash as the app wrote them before (PBKDF2; few iterations only to keep the test fast:
    # the count is inside the hash, so it verifies as written).
    old = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    User.objects.filter(pk=user.pk).update(password=old)
    user.refresh_from_db()
    token, _key = services.api_token_issue(actor=user, owner=user, name="phone")
    changed_at, history = user.password_changed_at, PasswordHistory.objects.filter(user=user).count()

    response = client.post(reverse("accounts:login"), {"username": "t_comm", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert user.check_password(PASSWORD)
    # A rehash is not a password change: the expiry clock, the history and the tokens stay.
    assert user.password_changed_at == changed_at
    assert PasswordHistory.objects.filter(user=user).count() == history
    token.refresh_from_db()
    assert token.revoked_at is None

    # The next login leaves the new hash as it is (no rehash on every login).
    upgraded = user.password
    client.logout()
    client.post(reverse("accounts:login"), {"username": "t_comm", "password": PASSWORD})
    user.refresh_from_db()
    assert user.password == upgraded


def test_an_argon2_hash_with_other_costs_is_rehashed_with_the_stated_ones(production_hashers, client, org):
    user = User.objects.get(username="t_comm")

    class Cheaper(Argon2idHasher):
        memory_cost = 8192

    User.objects.filter(pk=user.pk).update(password=Cheaper().encode(PASSWORD, Cheaper().salt()))
    client.post(reverse("accounts:login"), {"username": "t_comm", "password": PASSWORD})
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)
