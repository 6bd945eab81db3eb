from django.db.models import QuerySet

from .filters import UserFilterSet
from .models import ApiToken, User


def user_list(*, user, filters=None) -> QuerySet[User]:
    """Accounts the user may manage, searchable by login and name (UserFilterSet)."""
    rows = User.objects.restrict(user).select_related("jurisdiction", "unit")
    return UserFilterSet.apply(rows, filters, user=user).order_by("jurisdiction__path", "username")


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The account's API tokens, newest first (the caller has checked who may see them)."""
    return ApiToken.objects.filter(user=user).select_related("user", "revoked_by", "created_by")
