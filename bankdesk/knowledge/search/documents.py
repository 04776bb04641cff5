from dataclasses import dataclass

from django.db import connection, transaction

from bankdesk.core import bulk
from bankdesk.core.tree import PATH_SEGMENT_WIDTH
from bankdesk.knowledge.models import SearchEntry
from bankdesk.knowledge.search.segment import segmented


@dataclass(frozen=True)
class Document:
    kind: str  # "case", "article" or "complaint"
    object_id: int
    title: str
    body: str
    code: str = ""
    group: str = ""  # the role group of a case, the category of an article
    unit_path: str = ""  # complaints: scope of the unit concerned
    lead_path: str = ""  # complaints: scope of the lead department
    handler_id: int | None = None


def path_word(path: str) -> str:
    return f"s{path}"


def handler_word(user_id: int) -> str:
    return f"h{user_id}"


def scope_words(document: Document) -> str:
    """Words that put a complaint in the scope of every unit above it, and of its handler."""
    paths = {path[:end] for path in (document.unit_path, document.lead_path) if path
             for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)}
    words = [path_word(path) for path in sorted(paths)]
    if document.handler_id:
        words.append(handler_word(document.handler_id))
    return " ".join(words)


def _entry(document: Document) -> SearchEntry:
    return SearchEntry(kind=document.kind, object_id=document.object_id, code=document.code, group=document.group,
                       title=document.title[:200], body=document.body, title_words=segmented(document.title),
                       body_words=segmented(document.body), scope_words=scope_words(document),
                       unit_path=document.unit_path, lead_path=document.lead_path, handler_id=document.handler_id)


ENTRY_ROWS = bulk.Rows(SearchEntry, with_ids=False)


def _entry_values(document: Document) -> list:
    """The new entry as a row of `ENTRY_ROWS`: the values `_entry` gives, in the order of its columns."""
    values = {"kind": document.kind, "object_id": document.object_id, "code": document.code, "group": document.group,
              "title": document.title[:200], "body": document.body, "title_words": segmented(document.title),
              "body_words": segmented(document.body), "scope_words": scope_words(document),
              "unit_path": document.unit_path, "lead_path": document.lead_path, "handler_id": document.handler_id}
    return [values[name] for name in ENTRY_ROWS.attnames]


def index(document: Document, new: bool = False) -> None:
    """Add or refresh one document; called by the services that save the object."""
    index_many([document], new=new)


UPDATED_FIELDS = ["code", "group", "title", "body", "title_words", "body_words", "scope_words", "unit_path", "lead_path",
                  "handler_id"]


def index_many(documents: list[Document], new: bool = False) -> None:
    """Add or refresh documents; `new` says their objects were just created, so nothing is there to refresh."""
    if new:  # one prepared INSERT for all (bulk_create compiled every value of every row: most of its cost)
        with transaction.atomic(savepoint=False):  # in autocommit, each row would be a transaction of its own
            ENTRY_ROWS.insert_values([_entry_values(document) for document in documents])
        return
    entries = [_entry(document) for document in documents]
    if connection.vendor == "sqlite":
        # FTS5's external-content triggers need a real UPDATE, which an upsert is not.
        keys = [(e.kind, e.object_id) for e in entries]
        existing = {(k, o): pk for pk, k, o in SearchEntry.objects.filter(
            kind__in={k for k, _o in keys}, object_id__in=[o for _k, o in keys]).values_list("id", "kind", "object_id")}
        for entry in entries:
            entry.pk = existing.get((entry.kind, entry.object_id))
        SearchEntry.objects.bulk_update([e for e in entries if e.pk], UPDATED_FIELDS, batch_size=500)
        SearchEntry.objects.bulk_create([e for e in entries if not e.pk], batch_size=500)
    else:
        SearchEntry.objects.bulk_create(entries, batch_size=1000, update_conflicts=True,
                                        unique_fields=["kind", "object_id"], update_fields=UPDATED_FIELDS)

