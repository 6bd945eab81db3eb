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
