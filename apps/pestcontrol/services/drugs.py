"""Writes of the drug ledger: products (refused when they name a banned substance), the banned
list, stores and their movements, and the daily expiry sweep.

A store's balance of one product's batch is the sum of its movements (purchases and returns add,
issues and disposals take) and never goes below zero: every movement locks the store's row
(`SELECT … FOR UPDATE`), sums the batch, checks, then writes, so two issues of the same last
packages are serialised and the second is refused. Movements are append-only: a mistake is put
right by a counter-movement (a return, a disposal)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Min, Q, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.roles import DESK_ROLES
from apps.core.services import tracked_create, tracked_update
from apps.core.units import unit_text

from ..choices import INBOUND, MovementKind
from ..models import BannedSubstance, OperationDrug, Product, StockMovement, Store

# Banned substances ---------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、,，;；/\n]+")


def normalise(text: str) -> str:
    """Compare names as people type them: full-width to half-width (NFKC), case folded, every
    space (also the ideographic one) and middle dot removed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\s·・\-_()（）]+", "", text)


def substance_terms(substance: BannedSubstance) -> list[str]:
    terms = [substance.name, *_SEPARATORS.split(substance.aliases or "")]
    return [t for t in (normalise(term) for term in terms) if t]


def _token_view(text: str) -> str:
    """The text for matching Latin and numeric aliases: NFKC, case folded, joiners (- _ ·)
    removed, letters typed one by one ("t e t s") joined, other spaces kept as token boundaries."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"[·・\-_]+", "", text)
    return re.sub(r"(?<=\b[0-9a-z])\s+(?=[0-9a-z]\b)", "", text, flags=re.ASCII)


def _term_matches(term: str, whole: list[str], tokens: list[str]) -> bool:
    """A Chinese name (any non-ASCII character) matches anywhere; a Latin alias (TETS, EDB) only
    as a whole word, a numeric one (1080, 666) only as a number standing on its own — so "1080g",
    "Red Bait", "0.0424%" and "666牌" are not read as 1080, EDB, 424 and 666."""
    if not term.isascii():
        return any(term in text for text in whole)
    if term.isdigit():
        pattern = re.compile(rf"(?<![\w.]){term}(?![\w%]|\.\d)")
    else:
        pattern = re.compile(rf"(?<![0-9a-z]){re.escape(term)}(?![0-9a-z])", re.ASCII)
    return any(pattern.search(text) for text in tokens)


def banned_match(*texts: str, substances=None) -> BannedSubstance | None:
    """The first active banned substance whose name or an alias occurs in one of `texts`."""
    whole = [normalise(text) for text in texts if text]
    tokens = [_token_view(text) for text in texts if text]
    if substances is None:
        substances = BannedSubstance.objects.filter(is_active=True).order_by("name")
    for substance in substances:
        for term in substance_terms(substance):
            if _term_matches(term, whole, tokens):
                return substance
    return None


def banned_message(substance: BannedSubstance) -> str:
    return _("「{name}」属于国家禁用药物（{basis}），不能登记或使用。").format(
        name=substance.name, basis=substance.basis or _("禁用药物名单")
    )


def ensure_not_banned(*, name: str = "", active_ingredient: str = "") -> None:
    substance = banned_match(name, active_ingredient)
    if substance is not None:
        raise DomainError(banned_message(substance))


def ensure_product_usable(product: Product) -> None:
    """A product may be used (moved, applied) only while active and not banned — the list may
    have grown since the product was added."""
    ensure_not_banned(name=product.name, active_ingredient=product.active_ingredient)
    if not product.is_active:
        raise DomainError(_("药物「{name}」已停用。").format(name=product.name))


BANNED_FIELDS = ["name", "aliases", "basis", "is_active"]


@transaction.atomic
def banned_create(*, actor, name: str, aliases: str = "", basis: str = "") -> BannedSubstance:
    ensure_role_allows(actor, BannedSubstance, "add")
    name = (name or "").strip()
    if BannedSubstance.objects.filter(name=name).exists():
        raise DomainError(_("禁用药物「{name}」已在名单中。").format(name=name))
    substance = BannedSubstance(name=name, aliases=aliases.strip(), basis=basis.strip())
    return tracked_create(
        obj=substance, actor=actor, action="pestcontrol.bannedsubstance.created", fields=BANNED_FIELDS
    )


@transaction.atomic
def banned_update(*, actor, substance: BannedSubstance, changes: dict, expected_version: int | None):
    ensure_role_allows(actor, BannedSubstance, "change")
    return tracked_update(
        obj=substance,
        actor=actor,
        changes={k: v for k, v in changes.items() if k in BANNED_FIELDS},
        expected_version=expected_version,
        action="pestcontrol.bannedsubstance.updated",
    )


# Products ------------------------------------------------------------------------------------

PRODUCT_FIELDS = [
    "name",
    "active_ingredient",
    "registration_no",
    "formulation",
    "manufacturer",
    "pests",
    "package_size",
    "package_unit",
    "package_name",
    "is_active",
]


@transaction.atomic
def product_create(*, actor, **fields) -> Product:
    """Add a product to the reference list; refused when its name or active ingredient names a
    banned substance (or an alias), whatever the case, width or spacing."""
    ensure_role_allows(actor, Product, "add")
    fields = {k: v for k, v in fields.items() if k in PRODUCT_FIELDS}
    ensure_not_banned(name=fields.get("name", ""), active_ingredient=fields.get("active_ingredient", ""))
    product = Product(**fields)
    if Product.objects.filter(name=product.name, registration_no=product.registration_no).exists():
        raise DomainError(_("该药物（名称和登记证号）已在药物目录中。"))
    return tracked_create(obj=product, actor=actor, action="pestcontrol.product.created", fields=PRODUCT_FIELDS)


@transaction.atomic
def product_update(*, actor, product: Product, changes: dict, expected_version: int | None) -> Product:
    ensure_role_allows(actor, Product, "change")
    changes = {k: v for k, v in changes.items() if k in PRODUCT_FIELDS}
    ensure_not_banned(
        name=changes.get("name", product.name),
        active_ingredient=changes.get("active_ingredient", product.active_ingredient),
    )
    return tracked_update(
        obj=product,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="pestcontrol.product.updated",
    )


# Stores --------------------------------------------------------------------------------------

STORE_FIELDS = ["jurisdiction", "name", "keeper", "is_active"]


@transaction.atomic
def store_create(*, actor, jurisdiction, name: str, keeper: str = "") -> Store:
    ensure_role_allows(actor, Store, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    store = Store(jurisdiction=jurisdiction, name=name, keeper=keeper)
    return tracked_create(obj=store, actor=actor, action="pestcontrol.store.created", fields=STORE_FIELDS)


@transaction.atomic
def store_update(*, actor, store: Store, changes: dict, expected_version: int | None) -> Store:
    ensure_in_scope(actor, store, "change")
    changes = {k: v for k, v in changes.items() if k in {"name", "keeper", "is_active"}}
    return tracked_update(
        obj=store, actor=actor, changes=changes, expected_version=expected_version, action="pestcontrol.store.updated"
    )


# Movements and balances ----------------------------------------------------------------------

SIGNED = Case(
    When(kind__in=[str(k) for k in INBOUND], then="packages"),
    default=0,
    output_field=IntegerField(),
)


def batch_balance(store: Store, product: Product, batch_no: str) -> int:
    movements = StockMovement.objects.filter(store=store, product=product, batch_no=batch_no)
    totals = movements.aggregate(
        inbound=Sum("packages", filter=_inbound_q()), outbound=Sum("packages", filter=~_inbound_q())
    )
    return (totals["inbound"] or 0) - (totals["outbound"] or 0)


def _inbound_q():
    return Q(kind__in=[str(k) for k in INBOUND])


def batch_expiry(store: Store, product: Product, batch_no: str) -> date | None:
    """A batch's expiry: the one its purchase recorded."""
    return (
        StockMovement.objects.filter(store=store, product=product, batch_no=batch_no, kind=MovementKind.PURCHASE)
        .aggregate(e=Min("expires_on"))
        .get("e")
    )


def balances(store: Store) -> list[dict]:
    """Balance per product and batch of a store (batches at zero left out), soonest expiry first."""
    return balances_by_store([store]).get(store.pk, [])


def balances_by_store(stores) -> dict[int, list[dict]]:
    """`balances` of many stores in two queries (the batch totals, their products)."""
    rows = list(batch_totals(StockMovement.objects.filter(store__in=[s.pk for s in stores])))
    products = {p.pk: p for p in Product.objects.filter(pk__in={r["product"] for r in rows})}
    today = timezone.localdate()
    warn = today + timedelta(days=settings.PEST_STOCK_EXPIRY_WARN_DAYS)
    out: dict[int, list[dict]] = {}
    for row in rows:
        product, expires = products[row["product"]], row["expires_on"]
        out.setdefault(row["store"], []).append(
            {
                "product": product,
                "batch_no": row["batch_no"],
                "packages": row["balance"],
                "quantity": product_quantity(product, row["balance"]),
                "expires_on": expires,
                "expired": bool(expires and expires < today),
                "expiring": bool(expires and today <= expires <= warn),
            }
        )
    return out


def batch_totals(movements=None):
    """THE batch balance query: movements grouped by store, product and batch with inbound,
    outbound, balance and expiry (the purchase's), batches at zero or below left out — in SQL."""
    movements = StockMovement.objects.all() if movements is None else movements
    return (
        movements.values("store", "product", "batch_no")
        .annotate(
            inbound=Coalesce(Sum("packages", filter=_inbound_q()), 0),
            outbound=Coalesce(Sum("packages", filter=~_inbound_q()), 0),
            expires_on=Max("expires_on"),
        )
        .annotate(balance=F("inbound") - F("outbound"))
        .filter(balance__gt=0)
        .order_by("expires_on", "product", "batch_no")
    )


def stocked_products(store: Store):
    """Products with stock in `store` (whatever their state: stock of a product stopped or banned
    since may still be returned or disposed of)."""
    rows = batch_totals(StockMovement.objects.filter(store=store))
    return Product.objects.filter(pk__in={r["product"] for r in rows})


def package_name_text(product: Product) -> str:
    """The package's name (袋, 瓶 …) in the reader's language (a unit, as `|unit` shows it)."""
    return unit_text(product.package_name)


def product_quantity(product: Product, packages: int):
    """kg or L of `packages` of `product`: the drug line's rule (`OperationDrug.quantity`)."""
    return OperationDrug(packages=packages, package_size=product.package_size).quantity


def _ensure_returnable(store: Store, product: Product, batch_no: str, packages: int) -> None:
    """A return brings back what was issued: at most (issued − returned) of the batch."""
    totals = StockMovement.objects.filter(store=store, product=product, batch_no=batch_no).aggregate(
        issued=Sum("packages", filter=Q(kind=MovementKind.ISSUE)),
        returned=Sum("packages", filter=Q(kind=MovementKind.RETURN)),
    )
    open_packages = (totals["issued"] or 0) - (totals["returned"] or 0)
    if packages > open_packages:
        raise DomainError(
            _("退回数量超过已发放未退回的数量：「{product}」批号「{batch}」最多可退回 {n} {unit}。").format(
                product=product.name, batch=batch_no, n=max(open_packages, 0), unit=package_name_text(product)
            )
        )


def _ensure_not_before_first_inbound(store: Store, product: Product, batch_no: str, moved_on: date) -> None:
    """An outbound movement cannot be dated before the batch first came into the store (the
    balance on that day was nothing)."""
    first = (
        StockMovement.objects.filter(store=store, product=product, batch_no=batch_no)
        .filter(_inbound_q())
        .aggregate(first=Min("moved_on"))
        .get("first")
    )
    if first is not None and moved_on < first:
        raise DomainError(
            _("批号「{batch}」于 {date} 才入库，出库日期不能早于入库日期。").format(
                batch=batch_no, date=first.isoformat()
            )
        )


MOVEMENT_FIELDS = [
    "kind",
    "product",
    "batch_no",
    "expires_on",
    "packages",
    "moved_on",
    "to_jurisdiction",
    "household_batch",
    "supplier",
    "note",
]


def _lock_store(store: Store) -> Store:
    return Store.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=store.pk)


@transaction.atomic
def movement_create(
    *,
    actor,
    store: Store,
    kind: str,
    product: Product,
    batch_no: str,
    packages: int,
    moved_on: date | None = None,
    expires_on: date | None = None,
    to_jurisdiction=None,
    household_batch: str = "",
    supplier: str = "",
    note: str = "",
) -> StockMovement:
    """Record one movement. Locks the store, then checks: the product usable (not banned, not
    stopped); a purchase carries a batch and its expiry; an issue or disposal takes no more than
    the batch's balance; an issue (and a return) never of an expired batch, and an issue names
    whom it goes to (a jurisdiction in the store's subtree, or a household batch)."""
    ensure_role_allows(actor, StockMovement, "add")
    if actor is not None:
        ensure_in_scope(actor, store, "change")
    locked = _lock_store(store)
    if not locked.is_active:
        raise DomainError(_("该库房已停用。"))
    if kind not in MovementKind.values:
        raise DomainError(_("未知的出入库类型。"))
    if kind in (MovementKind.PURCHASE, MovementKind.ISSUE):
        ensure_product_usable(product)  # stock already held may still be returned or disposed of
    batch_no = (batch_no or "").strip()
    if not batch_no:
        raise DomainError(_("请填写批号。"))
    packages = int(packages or 0)
    if packages < 1:
        raise DomainError(_("数量应为正整数（包/瓶）。"))
    moved_on = moved_on or timezone.localdate()
    if moved_on > timezone.localdate():
        raise DomainError(_("出入库日期不能晚于今天。"))
    if kind == MovementKind.PURCHASE:
        if expires_on is None:
            raise DomainError(_("采购入库请填写有效期。"))
        if expires_on < moved_on:
            raise DomainError(
                _("批号「{batch}」的有效期 {date} 早于入库日期，过期药物不能采购入库。").format(
                    batch=batch_no, date=expires_on.isoformat()
                )
            )
        known = batch_expiry(locked, product, batch_no)
        if known is not None and known != expires_on:
            raise DomainError(
                _("批号「{batch}」已登记的有效期为 {date}，同一批号的有效期应一致。").format(
                    batch=batch_no, date=known.isoformat()
                )
            )
        to_jurisdiction, household_batch = None, ""
    else:
        expires_on = batch_expiry(locked, product, batch_no)
        if (
            expires_on is None
            and not StockMovement.objects.filter(store=locked, product=product, batch_no=batch_no).exists()
        ):
            raise DomainError(_("库房中没有该药物的批号「{batch}」。").format(batch=batch_no))
        if kind in (MovementKind.ISSUE, MovementKind.RETURN) and expires_on and expires_on < moved_on:
            raise DomainError(
                _("批号「{batch}」已于 {date} 过期，不能发放，请报废处理。").format(
                    batch=batch_no, date=expires_on.isoformat()
                )
            )
    if kind == MovementKind.ISSUE:
        household_batch = (household_batch or "").strip()
        if to_jurisdiction is None and not household_batch:
            raise DomainError(_("发放出库请选择发放对象（辖区或住户批次）。"))
        if to_jurisdiction is not None and not to_jurisdiction.path.startswith(locked.jurisdiction.path):
            raise DomainError(_("发放对象应为库房所属辖区或其下级。"))
    elif kind != MovementKind.RETURN:
        to_jurisdiction, household_batch = None, ""
    if kind == MovementKind.RETURN:
        _ensure_returnable(locked, product, batch_no, packages)
    if kind not in INBOUND:
        _ensure_not_before_first_inbound(locked, product, batch_no, moved_on)
        balance = batch_balance(locked, product, batch_no)
        if packages > balance:
            raise DomainError(
                _("库存不足：「{product}」批号「{batch}」结存 {balance} {unit}，不能出库 {packages} {unit}。").format(
                    product=product.name,
                    batch=batch_no,
                    balance=balance,
                    packages=packages,
                    unit=package_name_text(product),
                )
            )
    movement = StockMovement(
        store=locked,
        product=product,
        batch_no=batch_no,
        expires_on=expires_on,
        kind=kind,
        packages=packages,
        moved_on=moved_on,
        to_jurisdiction=to_jurisdiction,
        household_batch=household_batch,
        supplier=supplier if kind == MovementKind.PURCHASE else "",
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    movement.full_clean()
    movement.save()
    audit_record(
        actor=actor,
        obj=movement,
        action="pestcontrol.stockmovement.created",
        data={"after": snapshot(movement, MOVEMENT_FIELDS)},
    )
    return movement


# Expiry sweep --------------------------------------------------------------------------------

EXPIRY_KIND = "pest_stock_expiry"


def _desk_users(jurisdiction_id):
    from apps.accounts.models import User

    return User.objects.filter(is_active=True, role__in=DESK_ROLES, jurisdiction_id=jurisdiction_id)


def expiry_sweep(*, today: date | None = None) -> int:
    """Notify each store's jurisdiction's desk of batches still in stock that expire within
    PEST_STOCK_EXPIRY_WARN_DAYS or have expired. Once per batch and window: a batch is told
    once when it enters the warning window ("soon") and once when it has expired ("expired");
    the notification's link names the store, batch and window, and a link already sent is not
    sent again — so no reminder every day. Returns the number of notifications sent."""
    from apps.notifications.messages import Message
    from apps.notifications.models import Notification
    from apps.notifications.services import notify

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.PEST_STOCK_EXPIRY_WARN_DAYS)
    # batches still in stock (balance > 0 in SQL) of active stores that expire within the horizon
    candidates = list(
        batch_totals(StockMovement.objects.filter(store__is_active=True)).filter(
            expires_on__isnull=False, expires_on__lte=horizon
        )
    )
    stores = Store.objects.select_related("jurisdiction").in_bulk({c["store"] for c in candidates})
    products = Product.objects.in_bulk({c["product"] for c in candidates})
    for key in candidates:
        key["window"] = "expired" if key["expires_on"] < today else "soon"
        key["link"] = (
            reverse("pestcontrol:store_detail", args=[key["store"]])
            + "?"
            + _query(key["product"], key["batch_no"], key["window"])
        )
    told = set(
        Notification.objects.filter(kind=EXPIRY_KIND, link__in=[c["link"] for c in candidates]).values_list(
            "link", flat=True
        )
    )
    sent = 0
    for key in candidates:
        if key["link"] in told:
            continue
        store, product, expires, balance = (
            stores[key["store"]],
            products[key["product"]],
            key["expires_on"],
            key["balance"],
        )
        window, link = key["window"], key["link"]
        recipients = _desk_users(store.jurisdiction_id)
        if window == "expired":
            message = Message(
                gettext_noop("「{store}」的「{product}」批号 {batch} 已于 {date} 过期，结存 {n} 件，请报废处理。"),
                store=store.name,
                product=product.name,
                batch=key["batch_no"],
                date=expires.isoformat(),
                n=balance,
            )
        else:
            message = Message(
                gettext_noop("「{store}」的「{product}」批号 {batch} 将于 {date} 过期，结存 {n} 件，请尽快使用。"),
                store=store.name,
                product=product.name,
                batch=key["batch_no"],
                date=expires.isoformat(),
                n=balance,
            )
        with transaction.atomic():
            notify(
                recipients,
                kind=EXPIRY_KIND,
                title=Message(gettext_noop("药品有效期提醒")),
                message=message,
                link=link,
            )
        sent += 1
    return sent


def _query(product_id: int, batch_no: str, window: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"product": product_id, "batch": batch_no, "window": window})
