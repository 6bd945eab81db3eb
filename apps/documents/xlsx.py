"""The .xlsx writer shared by every export: constant memory, guarded against spreadsheet injection."""

from io import BytesIO

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Spreadsheet-injection guard: text that a spreadsheet would evaluate is prefixed with '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(rows, columns, *, progress=None, every: int = 500) -> bytes:
    """Write rows to an .xlsx (write-only mode, constant memory), calling `progress(n)` as it goes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(header) for header, _getter in columns])
    iterator = rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows
    for count, row in enumerate(iterator, start=1):
        sheet.append([neutralise(getter(row)) for _header, getter in columns])
        if progress and count % every == 0:
            progress(count)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
