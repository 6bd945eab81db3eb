"""The shared .xlsx writer: headers, rows, progress, formula injection guarded."""

from io import BytesIO

from openpyxl import load_workbook

from apps.documents.xlsx import neutralise, write_xlsx


def test_writes_headers_and_rows_and_reports_progress():
    seen = []
    content = write_xlsx([{"n": i} for i in range(5)], [("编号", lambda r: r["n"])], progress=seen.append, every=2)
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == ("编号",) and [r[0] for r in rows[1:]] == [0, 1, 2, 3, 4]
    assert seen == [2, 4]


def test_formulas_are_neutralised():
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise("-1+1") == "'-1+1"
    assert neutralise("正常") == "正常"
    assert neutralise(-1) == -1
