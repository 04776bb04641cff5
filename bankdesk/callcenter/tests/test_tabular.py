"""core.tabular: CSV in UTF-8 (with or without BOM) or GB18030, XLSX, and clear errors for bad files."""

import io

import openpyxl
import pytest

from bankdesk.core import tabular
from bankdesk.core.tabular import BadFile

ROWS = [["队列 *", "Offered"], ["热线", "12"], ["", ""], ["信用卡", "3"]]


def _csv(encoding: str) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(row) for row in ROWS).encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_writes(encoding):
    assert list(tabular.rows(_csv(encoding), "stats.CSV")) == [
        (2, {"队列": "热线", "offered": "12"}), (4, {"队列": "信用卡", "offered": "3"})]


def test_xlsx_streamed():
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    book.active.append(["卡", 5, "a stray cell"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    rows = list(tabular.rows(data, "stats.xlsx"))
    assert rows[0] == (2, {"队列": "热线", "offered": "12"})
    assert rows[-1] == (5, {"队列": "卡", "offered": 5})


@pytest.mark.parametrize("name, content, problem", [
    ("stats.txt", b"a,b\n1,2", "请上传 CSV 或 XLSX 文件"),
    ("stats.xlsx", b"not a zip", "无法读取该 XLSX 工作簿"),
    ("stats.csv", b"\n\n", "文件为空"),
    ("stats.csv", "队列,队列 \n1,2".encode(), "列“队列”重复出现"),
])
def test_a_bad_file_is_refused_with_a_reason(name, content, problem):
    with pytest.raises(BadFile) as failure:
        list(tabular.rows(io.BytesIO(content), name))
    assert failure.value.field == "file" and problem in failure.value.message


def test_counting_rows():
    assert tabular.count_rows(_csv("utf-8"), "a.csv") == 2
