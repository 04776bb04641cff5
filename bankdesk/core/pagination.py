"""One page of a query: a COUNT and one LIMIT/OFFSET query, never a loop over all rows."""

from dataclasses import dataclass

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


@dataclass
class Page:
    items: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(queryset, number: int = 1, size: int = DEFAULT_PAGE_SIZE) -> Page:
    """The page `number` (clamped to the pages there are) of `size` rows (clamped to 1..MAX_PAGE_SIZE)."""
    size = min(max(1, size), MAX_PAGE_SIZE)
    total = queryset.count()
    number = min(max(1, number), max(1, -(-total // size)))
    offset = (number - 1) * size
    return Page(items=list(queryset[offset:offset + size]), total=total, number=number, size=size)


def ordering(sort: str, fields: dict[str, tuple[str, ...]], default: str) -> list[str]:
    """ORDER BY for a sort key from the user: "name" or "-name", where fields maps a name to columns.

    Unknown keys fall back to `default`; descending applies to every column of the key.
    """
    name = sort.removeprefix("-")
    if name not in fields:
        return ordering(default, fields, default) if sort != default else list(fields[default.removeprefix("-")])
    columns = fields[name]
    if not sort.startswith("-"):
        return list(columns)
    return [column.removeprefix("-") if column.startswith("-") else f"-{column}" for column in columns]
