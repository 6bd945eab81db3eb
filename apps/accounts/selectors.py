from django.db.models import Q, QuerySet

from .models import ApiToken, User


def user_list(*, user, filters: dict | None = None) -> QuerySet[User]:
    """Accounts the user may manage, searchable by login and name."""
    filters = filters or {}
    rows = User.objects.restrict(user).select_related("jurisdiction", "unit")
    text = (filters.get("q") or "").strip()
    if text:
        rows = rows.filter(Q(username__icontains=text) | Q(last_name__icontains=text) | Q(first_name__icontains=text))
    return rows.order_by("jurisdiction__path", "username")


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The account's API tokens, newest first (the caller has checked who may see them)."""
    return ApiToken.objects.filter(user=user).select_related("user", "revoked_by", "created_by")
