"""Building a binder: the campaign's active evidence inside an area, packed into a .zip with a
folder per section and item (numbered as in the standard), the original files and the files the
records' sources generate, a 缺少资料.txt where an item still lacks evidence, and the index
(00 目录.xlsx and 00 目录.docx).

The .zip is written member by member to a temporary file (never whole in memory): uploaded files
are copied in chunks, generated ones are rendered one at a time, and the links are read in
batches of BATCH (each source's `files()` is asked once per batch). Only the index rows (a few
short strings per piece) are kept until the end."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.evidence import EvidenceFile, in_working_language, sources

from ..choices import EvidenceKind
from ..models import BinderExport, EvidenceLink
from ..selectors.ledger import area_item_ids, campaign_items, item_readiness
from . import names
from .index import Piece, XlsxIndex, docx_index

logger = logging.getLogger(__name__)

BATCH = 200
UPLOAD_SOURCE = "campaigns.upload"
# Already-compressed formats are stored as they are (deflating them costs time for nothing).
STORED_EXTS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".zip", ".docx", ".xlsx", ".pptx", ".mp4", ".heic"}
COPY_CHUNK = 1024 * 1024


def missing_name() -> str:
    return _("缺少资料.txt")


def index_name(ext: str) -> str:
    return _("00 目录") + ext


@dataclass
class Result:
    pieces: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def binder_links(binder: BinderExport):
    """The active pieces of the campaign filed inside the binder's area, in the standard's order.
    Superseded uploads are left out (their current version has a link of its own)."""
    return (
        EvidenceLink.objects.filter(
            campaign_id=binder.campaign_id, is_active=True, jurisdiction_path__within=binder.jurisdiction.path
        )
        .filter(Q(document__isnull=True) | Q(document__is_current=True))
        .select_related("document")
        .order_by("item__section__sort", "item__section_id", "item__sort", "item_id", "occurred_on", "id")
    )


def _compression(name: str) -> int:
    return zipfile.ZIP_STORED if names.split_ext(name)[1].lower() in STORED_EXTS else zipfile.ZIP_DEFLATED


def _member(archive: zipfile.ZipFile, arcname: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = _compression(arcname)
    info.external_attr = 0o644 << 16
    return info


def _copy(archive: zipfile.ZipFile, arcname: str, handle) -> None:
    with archive.open(_member(archive, arcname), "w", force_zip64=True) as target:
        shutil.copyfileobj(handle, target, COPY_CHUNK)


def _write_file(archive: zipfile.ZipFile, arcname: str, evidence_file: EvidenceFile) -> None:
    if evidence_file.render is not None:
        archive.writestr(_member(archive, arcname), evidence_file.render())
        return
    with evidence_file.open() as handle:
        _copy(archive, arcname, handle)


def _document_file(document) -> EvidenceFile:
    return EvidenceFile(name=document.original_name, open=lambda: document.file.open("rb"))


@in_working_language
def build_binder(binder: BinderExport, target_path: str, *, progress: Callable[[int], None]) -> Result:
    """Write the binder's .zip to `target_path`; `progress(n)` is called every few links.

    The binder is for the assessors, so it is written in the campaign's working language
    (settings.LANGUAGE_CODE, Chinese by default) whoever asked for it and in whatever language
    their session is: folder and file names, the index and the generated documents. The strings
    are translatable, so an English deployment (LANGUAGE_CODE "en") gets an English binder."""
    campaign = binder.campaign
    area = binder.jurisdiction
    registry = sources()
    labels = {key: str(source.label) for key, source in registry.items()}
    items = list(campaign_items(campaign).order_by("section__sort", "section_id", "sort", "id"))
    readiness = item_readiness(campaign=campaign, jurisdiction_path=area.path, item_ids=[i.pk for i in items])
    sections: dict[int, str] = {}
    folders: dict[int, str] = {}
    for item in items:
        if item.section_id not in sections:
            sections[item.section_id] = names.section_folder(item.section, len(sections) + 1)
        folders[item.pk] = f"{sections[item.section_id]}/{names.item_folder(item)}"
    # A binder of a part of the campaign (a community's of a district campaign) notes what is
    # missing only for the items that concern that part: those with a task or a piece in it.
    concerned = None if area.pk == campaign.jurisdiction_id else area_item_ids(campaign, area.path)
    lacking = [item for item in items if not readiness[item.pk].ready and (concerned is None or item.pk in concerned)]
    missing_file = missing_name()
    used: dict[int, names.Folder] = defaultdict(names.Folder)
    for item in lacking:
        used[item.pk].claim(missing_file)  # reserved before any piece can take the name
    by_section: dict[int, list[Piece]] = {section_id: [] for section_id in sections}
    section_of = {item.pk: item.section_id for item in items}
    item_label = {item.pk: names.item_folder(item) for item in items}
    xlsx = XlsxIndex()
    result = Result()
    kinds = dict(EvidenceKind.choices)
    every = max(25, binder.total // 50)
    counter: dict[int, int] = defaultdict(int)

    with zipfile.ZipFile(target_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        batch: list[EvidenceLink] = []

        def flush():
            files = _files_for(batch, registry, result)
            for link in batch:
                if link.item_id not in folders:
                    continue  # an item of another version cannot be filed (the campaign's version is fixed)
                counter[link.item_id] += 1
                number = counter[link.item_id]
                folder = used[link.item_id]
                found = files.get((link.source, link.object_id), [])
                paths = []
                for position, evidence_file in enumerate(found, start=1):
                    stem, ext = names.split_ext(evidence_file.name)
                    label = link.title if len(found) == 1 else f"{link.title}-{stem or position}"
                    name = folder.claim(names.file_name(f"{number:03d} {label}", ext))
                    arcname = f"{folders[link.item_id]}/{name}"
                    try:
                        _write_file(archive, arcname, evidence_file)
                    except SoftTimeLimitExceeded:
                        raise
                    except Exception as error:  # a missing file or a provider's bug: noted, the binder goes on
                        logger.warning(
                            "binder %s: %s of %s %s not packed",
                            binder.pk,
                            evidence_file.name,
                            link.source,
                            link.object_id,
                            exc_info=True,
                        )
                        result.problems.append(f"{link.title}: {error.__class__.__name__}")
                        continue
                    paths.append(arcname)
                    result.files += 1
                result.pieces += 1
                piece = Piece(
                    number=result.pieces,
                    section=sections[section_of[link.item_id]],
                    item=item_label[link.item_id],
                    title=link.title,
                    occurred_on=link.occurred_on,
                    source=_("台账上传") if link.source == UPLOAD_SOURCE else labels.get(link.source, link.source),
                    files=tuple(paths),
                    kind=str(kinds.get(link.kind, link.kind)),
                )
                xlsx.add(piece, _("（无文件，见系统记录）"))
                by_section[section_of[link.item_id]].append(piece)
            if result.pieces // every != (result.pieces - len(batch)) // every:
                progress(result.pieces)
            batch.clear()

        for link in binder_links(binder).iterator(chunk_size=BATCH):
            batch.append(link)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()

        for item in lacking:
            state = readiness[item.pk]
            lines = [_("{item} 尚缺以下资料：").format(item=item_label[item.pk]), ""]
            for missing in state.missing:
                name = missing.name or _("任意资料")
                lines.append(
                    _("- {name}：需 {needed} 份，已有 {have} 份").format(
                        name=name, needed=missing.needed, have=missing.have
                    )
                )
            archive.writestr(_member(archive, f"{folders[item.pk]}/{missing_file}"), "\r\n".join(lines) + "\r\n")

        heading = _("{campaign} 台账目录").format(campaign=campaign.title)
        section_rows = [(name, by_section[section_id]) for section_id, name in sections.items()]
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "index.docx")
            docx_index(
                path,
                heading=heading,
                subtitle=_("范围：{area}　资料 {n} 份").format(area=area.name, n=result.pieces),
                issued_on=timezone.localdate(),
                sections=section_rows,
                empty=_("（本大项暂无资料）"),
            )
            with open(path, "rb") as handle:
                _copy(archive, index_name(".docx"), handle)
            path = os.path.join(directory, "index.xlsx")
            xlsx.save(path)
            with open(path, "rb") as handle:
                _copy(archive, index_name(".xlsx"), handle)
    return result


def _files_for(batch, registry, result: Result) -> dict[tuple[str, str], list[EvidenceFile]]:
    """The files of a batch of links: uploads from their documents, records from their source's
    `files()`, one call per source."""
    files: dict[tuple[str, str], list[EvidenceFile]] = {}
    by_source: dict[str, list[str]] = defaultdict(list)
    for link in batch:
        if link.document_id is not None:
            if link.document.file:
                files[(link.source, link.object_id)] = [_document_file(link.document)]
        else:
            by_source[link.source].append(link.object_id)
    for key, object_ids in by_source.items():
        source = registry.get(key)
        if source is None:
            continue  # the app that offered the records is gone: the index still lists them
        found = source.files(list(dict.fromkeys(object_ids))) or {}
        for object_id in object_ids:
            files[(key, object_id)] = list(found.get(object_id, []))
    return files
