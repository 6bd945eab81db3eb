"""Views of the evidence ledger (台账): the ledger, an item's pieces, uploads, links, rules, the
missing list, the timeline and the documents. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.evidence import sources
from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters
from apps.core.roles import Role
from apps.core.views_base import EXPORT_HANDLERS, get_scoped_or_404, require_permission, requires, submit_form
from apps.standards.models import StandardItem

from ..areas import area_path
from ..exports import missing_rows
from ..filters.ledger import LedgerFilterSet
from ..forms.ledger import LinkForm, RuleForm, SupersedeForm, UploadForm
from ..models import Campaign, EvidenceDocument, EvidenceLink, EvidenceRule, Task
from ..selectors import ledger as selectors
from ..services import evidence as services
from ..services.evidence_sync import last_synced, sync_request, sync_running
from ..workflow import given_to, manages_campaign, works_on

LINK = "campaigns.evidencelink"
DOCUMENT = "campaigns.evidencedocument"
TERRITORY_ROLES = {Role.OFFICE, Role.STREET, Role.COMMUNITY}
PICK_PAGE = 50
MAX_PICK_OFFSET = 10_000_000


def _campaign(request, pk) -> Campaign:
    require_permission(request.user, LINK)
    return get_scoped_or_404(Campaign, request.user, pk, queryset=Campaign.objects.select_related("jurisdiction"))


def _item(request, campaign: Campaign, item_pk, path: str | None) -> StandardItem:
    item = get_object_or_404(
        StandardItem.objects.select_related("section"), pk=item_pk, version_id=campaign.standard_version_id
    )
    allowed = selectors.ledger_item_ids(request.user, campaign)
    if allowed is not None and item.pk not in allowed:
        raise Http404
    return item


def may_open(user, link: EvidenceLink) -> bool:
    """Whether the record's page opens for `user`: only when sure (their own territory)."""
    if user.role == Role.ADMIN:
        return True
    if user.role in TERRITORY_ROLES and user.jurisdiction_id:
        return link.jurisdiction_path.startswith(user.jurisdiction.path)
    return False


def may_link(user, campaign: Campaign) -> bool:
    """Whether the user may link and unlink records of this campaign: a manager role (office,
    street, community) with a territory in it (apps/campaigns/areas.py), for pieces of that area."""
    return user.can(LINK, "change") and user.role in services.MANAGER_ROLES and area_path(user, campaign) is not None


def may_sync(user, campaign: Campaign) -> bool:
    """Whether 立即关联 (and the rules) are the user's: whoever manages the campaign itself."""
    return user.can(LINK, "add") and user.role in services.MANAGER_ROLES and manages_campaign(campaign, user)


# The ledger ----------------------------------------------------------------------------------


@requires(LINK)
def ledger(request, pk):
    """台账: readiness per section, then one row per item."""
    campaign = _campaign(request, pk)
    path = selectors.ledger_part(request.user, campaign)
    request.ledger_campaign = campaign
    filter_errors, params = [], {}
    try:
        params = LedgerFilterSet(request.GET, StandardItem.objects.none(), request=request).params()
    except InvalidFilters as error:
        filter_errors = error.messages
    ready = {"1": True, "0": False}.get(params.get("ready") or "")
    data = selectors.ledger(
        campaign=campaign, jurisdiction_path=path, section=params.get("section"), ready=ready, area=params.get("area")
    )
    context = {
        "campaign": campaign,
        "data": data,
        "filters": {k: v for k, v in request.GET.items() if v},
        "filter_errors": filter_errors,
        "sections": selectors.campaign_items(campaign)
        .values_list("section_id", "section__code", "section__name")
        .distinct(),
        "areas": LedgerFilterSet(request=request).filters["area"].queryset(request)[:200],
        "may_sync": may_sync(request.user, campaign),
        "running": sync_running(campaign),
        "synced_at": last_synced(campaign),
    }
    return TemplateResponse(request, "campaigns/ledger/ledger.html", context, status=400 if filter_errors else 200)


@requires(LINK)
def ledger_item(request, pk, item_pk):
    """One item: its requirements, every piece, the upload and link forms, its rules."""
    campaign = _campaign(request, pk)
    path = selectors.ledger_part(request.user, campaign)
    item = _item(request, campaign, item_pk, path)
    return _item_page(request, campaign, item, path)


def _item_page(request, campaign, item, path, *, upload_form=None, link_form=None, status=200):
    state = selectors.item_readiness(campaign=campaign, jurisdiction_path=path, item_ids=[item.pk])[item.pk]
    counts = selectors.requirement_counts(campaign, path, [item.pk])
    pieces = list(selectors.item_pieces(campaign=campaign, item=item, jurisdiction_path=path))
    labels = {key: source.label for key, source in sources().items()}
    for piece in pieces:
        piece.source_label = labels.get(
            piece.source, _("上传资料") if piece.source == services.UPLOAD_SOURCE else piece.source
        )
        piece.openable = may_open(request.user, piece)
        piece.may_unlink = piece.is_active and may_link(request.user, campaign) and piece.openable
    rules = selectors.label_rules(
        list(EvidenceRule.objects.filter(campaign=campaign, item=item).select_related("requirement"))
    )
    source_key = request.GET.get("source", "")
    search = request.GET.get("q", "")[:100]
    records, more = [], None
    if source_key in labels and may_link(request.user, campaign):
        linked = EvidenceLink.objects.filter(campaign=campaign, item=item, source=source_key, is_active=True)
        try:  # where the 更多记录 link reads on from; a bad value starts again from the newest
            offset = min(max(int(request.GET.get("from") or 0), 0), MAX_PICK_OFFSET)
        except ValueError:
            offset = 0
        try:
            records, more = services.record_choices(
                actor=request.user,
                campaign=campaign,
                source_key=source_key,
                limit=PICK_PAGE,
                search=search,
                exclude_ids=linked.values_list("object_id", flat=True),
                offset=offset,
            )
        except DomainError:
            records = []
    context = {
        "campaign": campaign,
        "item": item,
        "state": state,
        "requirements": [
            {"req": req, "have": counts.get((item.pk, req.pk), 0)} for req in item.requirements.order_by("sort", "id")
        ],
        "pieces": pieces,
        "rules": rules,
        "source_labels": labels,
        "upload_form": upload_form or UploadForm(campaign=campaign, item=item),
        "link_form": link_form or LinkForm(item=item, initial={"source": source_key}),
        "source_key": source_key,
        "records": records,
        "record_search": search,
        "more_records": more,
        "may_upload": request.user.can(DOCUMENT, "add") and request.user.role in services.MANAGER_ROLES,
        "may_link": may_link(request.user, campaign),
    }
    return TemplateResponse(request, "campaigns/ledger/item.html", context, status=status)


def _upload(request, form, campaign, task=None):
    """The upload form through the one upload service; None (with the form's errors) if refused."""
    return submit_form(
        form,
        lambda d: services.evidence_upload(
            actor=request.user,
            campaign=campaign,
            item=d["item"],
            requirement=d["requirement"],
            title=d["title"],
            occurred_on=d["occurred_on"],
            upload=d["file"],
            task=task,
        ),
    )


@requires(DOCUMENT, "add")
def evidence_upload(request, pk, item_pk):
    campaign = _campaign(request, pk)
    path = selectors.ledger_part(request.user, campaign)
    item = _item(request, campaign, item_pk, path)
    if request.method != "POST":
        return redirect("campaigns:ledger_item", pk=campaign.pk, item_pk=item.pk)
    form = UploadForm(request.POST, request.FILES, campaign=campaign, item=item)
    document = _upload(request, form, campaign)
    if document is None:
        return _item_page(request, campaign, item, path, upload_form=form, status=400)
    messages.success(request, _("资料已上传。"))
    return redirect("campaigns:ledger_item", pk=campaign.pk, item_pk=item.pk)


@requires(DOCUMENT, "add")
def task_evidence_upload(request, task_pk):
    """Upload from a task's page: filed under the task's item, in the task's area. A task without
    an item has nowhere to file it (the task page shows no upload button for it): refused."""
    task = get_scoped_or_404(Task, request.user, task_pk, queryset=Task.objects.select_related("campaign", "item"))
    campaign = task.campaign
    if not works_on(task, request.user):
        raise PermissionDenied
    if task.item_id is None:
        messages.error(request, _("该任务没有对应的标准小项，资料请在台账中按小项上传。"))
        return redirect(task.get_absolute_url())
    form = UploadForm(request.POST or None, request.FILES or None, campaign=campaign, item=task.item)
    if request.method == "POST":
        document = _upload(request, form, campaign, task=task)
        if document is not None:
            messages.success(request, _("资料已上传。"))
            return redirect(document.get_absolute_url())
    context = {"form": form, "task": task, "campaign": campaign}
    return TemplateResponse(request, "campaigns/ledger/task_upload.html", context, status=400 if form.errors else 200)


@requires(LINK, "add")
def evidence_link(request, pk, item_pk):
    campaign = _campaign(request, pk)
    path = selectors.ledger_part(request.user, campaign)
    item = _item(request, campaign, item_pk, path)
    if request.method != "POST" or not may_link(request.user, campaign):
        if request.method == "POST":
            raise PermissionDenied
        return redirect("campaigns:ledger_item", pk=campaign.pk, item_pk=item.pk)
    form = LinkForm(request.POST, item=item)
    link = submit_form(
        form,
        lambda d: services.evidence_link(
            actor=request.user,
            campaign=campaign,
            item=item,
            source=d["source"],
            object_id=d["object_id"],
            requirement=d["requirement"],
        ),
    )
    if link is None:
        return _item_page(request, campaign, item, path, link_form=form, status=400)
    messages.success(request, _("已关联到台账。"))
    return redirect("campaigns:ledger_item", pk=campaign.pk, item_pk=item.pk)


@require_POST
@requires(LINK, "change")
def evidence_unlink(request, link_pk):
    link = get_scoped_or_404(EvidenceLink, request.user, link_pk, "change")
    try:
        services.evidence_unlink(actor=request.user, link=link)
        messages.success(request, _("已移出台账。"))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("campaigns:ledger_item", pk=link.campaign_id, item_pk=link.item_id)


# Rules and sync ------------------------------------------------------------------------------


def _rule(campaign: Campaign, raw) -> EvidenceRule:
    if not str(raw).isdigit():
        raise Http404
    return get_object_or_404(EvidenceRule.objects.select_related("campaign__jurisdiction"), pk=raw, campaign=campaign)


@requires(LINK)
def evidence_rules(request, pk):
    """The campaign's rules, a form for a new one, and 从标准生成关联规则."""
    campaign = _campaign(request, pk)
    editing = None
    manages = may_sync(request.user, campaign) and may_link(request.user, campaign)
    form = RuleForm(campaign=campaign, user=request.user)
    status = 200
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        action = request.POST.get("action", "create")
        try:
            if action == "from_standard":
                count = services.evidence_rules_from_standard(campaign=campaign, actor=request.user)
                messages.success(request, _("已按标准生成 {n} 条关联规则。").format(n=count))
                return redirect("campaigns:evidence_rules", pk=campaign.pk)
            if action in ("deactivate", "activate"):
                rule = _rule(campaign, request.POST.get("rule", ""))
                services.rule_update(actor=request.user, rule=rule, is_active=action == "activate")
                return redirect("campaigns:evidence_rules", pk=campaign.pk)
        except (DomainError, ValueError) as error:
            messages.error(request, str(getattr(error, "message", error)))
            return redirect("campaigns:evidence_rules", pk=campaign.pk)
        form = RuleForm(request.POST, campaign=campaign, user=request.user)
        if action == "update":
            editing = _rule(campaign, request.POST.get("rule", ""))
            rule = submit_form(form, lambda d: services.rule_update(actor=request.user, rule=editing, **d))
        else:
            rule = submit_form(form, lambda d: services.rule_create(actor=request.user, campaign=campaign, **d))
        if rule is not None:
            messages.success(request, _("关联规则已保存。"))
            return redirect("campaigns:evidence_rules", pk=campaign.pk)
        status = 400
    elif request.GET.get("edit") and manages:
        editing = _rule(campaign, request.GET["edit"])
        form = RuleForm(
            campaign=campaign,
            user=request.user,
            initial={name: getattr(editing, name) for name in services.RULE_FIELDS if name != "is_active"},
        )
    rules = selectors.label_rules(
        list(
            EvidenceRule.objects.filter(campaign=campaign)
            .select_related("item", "requirement", "jurisdiction")
            .order_by("item__sort", "id")
        )
    )
    context = {"campaign": campaign, "rules": rules, "form": form, "manages": manages, "editing": editing}
    return TemplateResponse(request, "campaigns/ledger/rules.html", context, status=status)


@requires(LINK)
def ledger_sync(request, pk):
    """POST: queue 立即关联 in the background. GET: the status fragment the ledger page polls."""
    campaign = _campaign(request, pk)
    if request.method == "POST":
        if not may_sync(request.user, campaign):
            raise PermissionDenied
        try:
            sync_request(actor=request.user, campaign=campaign)
            messages.success(request, _("已开始自动关联，完成后台账会自动更新。"))
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("campaigns:ledger", pk=campaign.pk)
    context = {"campaign": campaign, "running": sync_running(campaign), "synced_at": last_synced(campaign)}
    return TemplateResponse(request, "campaigns/ledger/_sync.html", context)


# Missing list and timeline -------------------------------------------------------------------


@requires(LINK)
def ledger_missing(request, pk):
    """缺什么、补什么: per unready item what is missing and who owns it; .xlsx on ?export=xlsx."""
    campaign = _campaign(request, pk)
    if request.GET.get("export") == "xlsx":
        handler = EXPORT_HANDLERS.get("xlsx")
        if handler is None:
            raise Http404
        filters = {"campaign": str(campaign.pk)}
        return handler(
            request, source="campaigns.ledger_missing", filters=filters, rows=missing_rows(request.user, filters)
        )
    entries = selectors.missing(campaign=campaign, jurisdiction_path=selectors.ledger_part(request.user, campaign))
    return TemplateResponse(request, "campaigns/ledger/missing.html", {"campaign": campaign, "entries": entries})


@requires(LINK)
def ledger_timeline(request, pk):
    campaign = _campaign(request, pk)
    links = selectors.timeline(campaign=campaign, jurisdiction_path=selectors.ledger_part(request.user, campaign))
    page = Paginator(links, 50).get_page(request.GET.get("page") if str(request.GET.get("page", "")).isdigit() else 1)
    removed = selectors.unlinked_at([link.pk for link in page.object_list])
    labels = {key: source.label for key, source in sources().items()}
    for link in page.object_list:
        link.removed = removed.get(link.pk)
        link.source_label = labels.get(link.source, _("上传资料"))
        link.openable = may_open(request.user, link)
    context = {"campaign": campaign, "page": page, "rows": page.object_list, "querystring": ""}
    return TemplateResponse(request, "campaigns/ledger/timeline.html", context)


# Documents -----------------------------------------------------------------------------------


def _document(request, pk, action="view") -> EvidenceDocument:
    return get_scoped_or_404(
        EvidenceDocument,
        request.user,
        pk,
        action,
        queryset=EvidenceDocument.objects.select_related("campaign", "item", "jurisdiction", "uploaded_by", "task"),
    )


def _history(document: EvidenceDocument) -> list[EvidenceDocument]:
    """Every version of the piece, newest first (following supersedes both ways)."""
    newest = document
    while True:
        newer = EvidenceDocument.objects.filter(supersedes=newest).first()
        if newer is None:
            break
        newest = newer
    versions, current = [], newest
    while current is not None:
        versions.append(current)
        current = current.supersedes
    return versions


@requires(DOCUMENT)
def document_detail(request, pk):
    document = _document(request, pk)
    may_replace = document.is_current and (
        request.user.role == Role.ADMIN
        or (
            request.user.role in TERRITORY_ROLES
            and request.user.jurisdiction_id
            and document.jurisdiction.path.startswith(request.user.jurisdiction.path)
        )
        or (document.task is not None and given_to(document.task, request.user))
    )
    context = {
        "document": document,
        "history": _history(document),
        "form": SupersedeForm(),
        "may_replace": may_replace and request.user.can(DOCUMENT, "add"),
    }
    return TemplateResponse(request, "campaigns/ledger/document.html", context)


@requires(DOCUMENT)
def document_download(request, pk):
    """The file, only to whom may see the document; always as an attachment."""
    document = _document(request, pk)
    try:
        handle = document.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type)
    name = document.original_name or f"{document.title}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@requires(DOCUMENT, "add")
def document_supersede(request, pk):
    document = _document(request, pk)
    form = SupersedeForm(request.POST, request.FILES)
    new = submit_form(
        form,
        lambda d: services.document_supersede(
            actor=request.user,
            document=document,
            upload=d["file"],
            title=d["title"],
            occurred_on=d["occurred_on"],
        ),
    )
    if new is None:
        context = {"document": document, "history": _history(document), "form": form, "may_replace": True}
        return TemplateResponse(request, "campaigns/ledger/document.html", context, status=400)
    messages.success(request, _("已替换为新文件，旧文件保留在历史版本中。"))
    return redirect(new.get_absolute_url())
