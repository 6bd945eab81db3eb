"""Checking an uploaded document (a scan, a PDF, a Word or Excel file, a photo) before it is stored.

The type is read from the content, never from the name or the browser's Content-Type:

- PDF: starts with ``%PDF-``;
- .docx/.xlsx: a zip whose ``[Content_Types].xml`` declares the Word or Excel main part;
- legacy .doc/.xls: an OLE2 compound file (``D0 CF 11 E0 A1 B1 1A E1``);
- JPEG/PNG: the photo service's header checks (format, sides, pixel count, frames), so a
  decompression bomb is refused from its header without decoding a pixel.

The size limit is CHUANGWEI_DOCUMENT_MAX_BYTES (default 20 MiB). `check_document` returns the
canonical content type and leaves the file at its start; a refusal is a `DocumentRefused`.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE2 = "application/x-ole-storage"
JPEG = "image/jpeg"
PNG = "image/png"

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# How much of [Content_Types].xml we read: it is a few KB in any real file.
CONTENT_TYPES_MAX = 256 * 1024

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", OLE2: ".doc", JPEG: ".jpg", PNG: ".png"}


class DocumentRefused(DomainError):
    """An upload that is not a document we take (type or size)."""


def max_bytes() -> int:
    return settings.CHUANGWEI_DOCUMENT_MAX_BYTES


def _wrong_type() -> DocumentRefused:
    return DocumentRefused(_("只能上传 PDF、Word、Excel 文件或 JPEG、PNG 照片。"))


def _ooxml_type(upload) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                raise _wrong_type()
            declared = archive.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        raise _wrong_type() from None
    for marker, content_type in OOXML_MAIN.items():
        if marker in declared:
            return content_type
    raise _wrong_type()


def _image_type(upload, head: bytes) -> str:
    from apps.photos.services import PhotoRefused, check_upload

    try:
        check_upload(upload)
    except PhotoRefused as refused:
        raise DocumentRefused(str(refused)) from None
    return PNG if head.startswith(b"\x89PNG") else JPEG


def check_document(upload) -> str:
    """The content type of an acceptable upload; `DocumentRefused` with a message otherwise."""
    size = getattr(upload, "size", None) or 0
    limit = max_bytes()
    if size > limit:
        raise DocumentRefused(
            _("文件过大（{size} MB），最大 {mb} MB。").format(size=round(size / 1048576, 1), mb=limit // 1048576)
        )
    if not size:
        raise DocumentRefused(_("文件是空的。"))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(OLE2_MAGIC):
            return OLE2
        if head.startswith(ZIP_MAGIC):
            return _ooxml_type(upload)
        if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _image_type(upload, head)
        raise _wrong_type()
    finally:
        upload.seek(0)
