from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

UNIT_HEADERS = [
    "单位名称",
    "单位类型",
    "所在辖区代码",
    "地址",
    "纬度",
    "经度",
    "联系人",
    "联系电话",
    "经营状态",
    "统一社会信用代码",
    "证照类型",
    "证照编号",
    "证照有效期至",
]


def workbook_bytes(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "units.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def unit_row(name, code, **extra):
    row = {
        "单位名称": name,
        "单位类型": "餐饮单位",
        "所在辖区代码": code,
        "地址": "人民路1号",
        "纬度": 31.46,
        "经度": 104.68,
        "联系人": "张三",
        "联系电话": "13800000000",
        "经营状态": "营业",
        "统一社会信用代码": "",
        "证照类型": "食品经营许可证",
        "证照编号": f"JY-{name}",
        "证照有效期至": "2027-06-30",
    }
    row.update(extra)
    return [row[h] for h in UNIT_HEADERS]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row_xml(number: int, values) -> str:
    from xml.sax.saxutils import escape

    cells = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
        for i, v in enumerate(values)
        if v not in (None, "")
    )
    return f'<row r="{number}">{cells}</row>'


def raw_workbook(target, headers, rows, *, empty_rows: int = 0, dimension: str | None = None) -> None:
    """Write an .xlsx by hand into `target` (a path or a binary file), streaming: the header,
    `rows`, then `empty_rows` empty `<row>` elements (what a formatted column or a stray cell
    a million rows down leaves in a real workbook). Millions of rows take seconds, not memory."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        total = 1 + len(rows) + empty_rows
        ref = dimension or f"A1:{_column(max(len(headers), 1) - 1)}{total}"
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f'<dimension ref="{ref}"/><sheetData>'
                ).encode()
            )
            sheet.write(_row_xml(1, headers).encode())
            for number, values in enumerate(rows, start=2):
                sheet.write(_row_xml(number, values).encode())
            start, chunk = len(rows) + 2, []
            for number in range(start, start + empty_rows):
                chunk.append(f'<row r="{number}"/>')
                if len(chunk) >= 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def raw_workbook_bytes(headers, rows, **kwargs) -> bytes:
    buffer = BytesIO()
    raw_workbook(buffer, headers, rows, **kwargs)
    return buffer.getvalue()
