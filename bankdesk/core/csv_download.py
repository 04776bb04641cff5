"""CSV files staff download: UTF-8 with the byte-order mark Excel needs to read Chinese, streamed row by
row, and no cell that Excel would run as a formula (text from customers could start with "=")."""

import csv

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file whose write returns the line, so csv.writer hands each row back as text."""

    def write(self, value):
        return value


def cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, rows) -> StreamingHttpResponse:
    """`rows` (each a list of values; the header first) as a streamed download named `filename`."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
