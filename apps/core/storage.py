"""Stored files through Django's storage API, whether on the filesystem or in object storage.

Uploads live in `default_storage`: MEDIA_ROOT on one machine, an S3-compatible bucket when
CHUANGWEI_S3_BUCKET is set (settings). Code reads and writes them through the storage (`open`,
`save`, `delete`), never through a path, so both work; the rare reader that needs a file on
disk (openpyxl reading a workbook, `zipfile` checking it) takes a local copy from here.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage


def on_filesystem(storage=None) -> bool:
    """Whether uploads are files under MEDIA_ROOT (not objects in a bucket)."""
    return isinstance(storage or default_storage, FileSystemStorage)  # (the lazy proxy passes isinstance)


@contextmanager
def local_path(field_file) -> Iterator[str]:
    """A path on this machine holding the stored file's bytes, for as long as the block runs:
    the file itself on the filesystem, else a temporary copy (deleted afterwards)."""
    try:
        path = field_file.path
    except NotImplementedError:  # object storage has no local path
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="chuangwei-", suffix=Path(field_file.name).suffix) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield copy.name
