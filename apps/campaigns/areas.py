"""The part of a campaign a user works in: one rule for every selector, service and form.

- Admins, and people whose subtree covers the campaign's jurisdiction (the office on a street's
  campaign, the street on its own), work in all of it.
- People whose subtree lies inside it (a community on its street's campaign) work in their own area.
- Unit contacts have no territory: they work on the tasks given to their unit or to themselves,
  and read only the uploads of those tasks.
- Anybody else has no part in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.roles import Role
from apps.organization.models import Jurisdiction

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Part:
    """What of a campaign a user works in. `path`: only inside this area (None: no area limit);
    `tasks_of`: (user id, unit id) of a unit contact, who works only on its own tasks;
    `empty`: nothing at all."""

    path: str | None = None
    tasks_of: tuple[int, int | None] | None = None
    empty: bool = False

    @property
    def whole(self) -> bool:
        return self.path is None and self.tasks_of is None and not self.empty

    def tasks_q(self, prefix: str = "") -> Q:
        """Tasks (or rows reaching a task through `prefix`, e.g. "document__task__") of the part."""
        if self.empty:
            return NOTHING
        q = Q()
        if self.path is not None:
            q &= Q(**{f"{prefix}jurisdiction__path__within": self.path})
        if self.tasks_of is not None:
            user_id, unit_id = self.tasks_of
            mine = Q(**{f"{prefix}assignee_id": user_id})
            q &= mine | Q(**{f"{prefix}unit_id": unit_id}) if unit_id else mine
        return q

    def links_q(self) -> Q:
        """Evidence links of the part: filed inside the area; for a unit contact only the uploads
        of its own tasks (never the records of other people linked in its territory)."""
        if self.empty:
            return NOTHING
        q = Q()
        if self.path is not None:
            q &= Q(jurisdiction_path__within=self.path)
        if self.tasks_of is not None:
            q &= self.tasks_q("document__task__")
        return q

    def within(self, path: str) -> Part:
        """The same part narrowed to the area at `path` (a filter of the ledger)."""
        return Part(path=path, tasks_of=self.tasks_of, empty=self.empty)


def as_part(scope) -> Part:
    """A Part from a Part, an area's path (str) or None (the whole campaign)."""
    if isinstance(scope, Part):
        return scope
    return WHOLE if not scope else Part(path=scope)


WHOLE = Part()
EMPTY = Part(empty=True)


def own_path(user) -> str | None:
    """The path of the user's own territory (None: admins have all, unit contacts none)."""
    if user is None or user.role == Role.ADMIN or user.role == Role.UNIT_CONTACT:
        return None
    jurisdiction = getattr(user, "jurisdiction", None)
    return jurisdiction.path if jurisdiction is not None else ""


def area_path(user, campaign) -> str | None:
    """The path of the area of `campaign` the user works in: the campaign's own for admins and
    people above it, the user's own when it lies inside; None when they have no territory in it."""
    root = campaign.jurisdiction.path
    if user is None or user.role == Role.ADMIN:
        return root
    own = own_path(user)
    if not own:
        return None
    if root.startswith(own):
        return root
    if own.startswith(root):
        return own
    return None


def user_part(user, campaign) -> Part:
    """The `Part` of `campaign` the user works in (see the module's docstring)."""
    if user is None or user.role == Role.ADMIN:
        return WHOLE
    if user.role == Role.UNIT_CONTACT:
        return Part(tasks_of=(user.pk, user.unit_id))
    path = area_path(user, campaign)
    if path is None:
        return EMPTY
    return WHOLE if path == campaign.jurisdiction.path else Part(path=path)


def user_area(user, campaign) -> Jurisdiction | None:
    """The jurisdiction of `area_path` (None: no territory in the campaign)."""
    path = area_path(user, campaign)
    if path is None:
        return None
    if path == campaign.jurisdiction.path:
        return campaign.jurisdiction
    return user.jurisdiction


def areas_for(user, campaign, depth: int | None = None, exclude_levels=()):
    """The areas the user may pick within `campaign`: its area and below (`depth` levels below at
    most), without the `exclude_levels` (level codes, e.g. grids and buildings), in path order."""
    root = user_area(user, campaign)
    if root is None:
        return Jurisdiction.objects.none()
    qs = Jurisdiction.objects.filter(path__within=root.path)
    if depth is not None:
        qs = qs.filter(depth__lte=root.depth + depth)
    if exclude_levels:
        qs = qs.exclude(level__code__in=exclude_levels)
    return qs.select_related("level").order_by("path")


def ensure_area(actor, campaign, jurisdiction) -> None:
    """An area of a campaign lies inside the campaign's jurisdiction and the actor's own area of it."""
    if not jurisdiction.path.startswith(campaign.jurisdiction.path):
        raise DomainError(_("责任区域必须在创建项目的辖区之内。"))
    if actor is None:
        return
    path = area_path(actor, campaign)
    if path is None or not jurisdiction.path.startswith(path):
        raise OutsideJurisdiction()


def groups_q(user, campaign) -> Q:
    """The work groups a task of `campaign` may go to, for `user` (a WorkGroup filter): those of
    the user's area of the campaign and below, and those of the campaign's own jurisdiction."""
    own = Q(jurisdiction_id=campaign.jurisdiction_id)
    path = area_path(user, campaign)
    return own | Q(jurisdiction__path__within=path) if path else own
