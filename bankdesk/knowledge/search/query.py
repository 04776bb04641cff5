from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape

from bankdesk.core.permissions import Permission, scope_paths, has_permission
from bankdesk.knowledge.search.segment import unsegment, words
from bankdesk.orgs.models import next_path

KINDS = ("case", "article", "complaint")
MARK_START, MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    code: str
    title: str
    snippet: str  # HTML: escaped text with <mark> around the matched words
    score: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int


def _visibility(user, kinds: list[str]) -> tuple[str, list]:
    """SQL limiting entries to what the user may see: knowledge for staff, complaints in scope."""
    allowed = [k for k in kinds if k != "complaint" and has_permission(user, Permission.VIEW_KNOWLEDGE)]
    clauses, params = [], []
    if allowed:
        clauses.append(f"e.kind IN ({', '.join(['%s'] * len(allowed))})")
        params += allowed
    if "complaint" in kinds and has_permission(user, Permission.VIEW_COMPLAINTS):
        ranges = []
        for path in scope_paths(user, Permission.VIEW_COMPLAINTS):
            ranges.append("(e.unit_path >= %s AND e.unit_path < %s) OR (e.lead_path >= %s AND e.lead_path < %s)")
            params += [path, next_path(path), path, next_path(path)]
        ranges.append("e.handler_id = %s")
        params.append(user.pk)
        clauses.append(f"(e.kind = 'complaint' AND ({' OR '.join(ranges)}))")
    return ("(" + " OR ".join(clauses) + ")", params) if clauses else ("1 = 0", [])


def _html_snippet(raw: str) -> str:
    return escape(unsegment(raw or "")).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def search(user, text: str, kinds: list[str] | None = None, group: str = "", limit: int = 20,
           offset: int = 0) -> SearchResults:
    """Entries matching any word of `text`, best first, among those the user may see."""
    terms = list(dict.fromkeys(words(text)))[:32]
    if not terms:
        return SearchResults([], 0)
    visible, params = _visibility(user, [k for k in (kinds or KINDS) if k in KINDS])
    if group:
        visible += ' AND e."group" = %s'
        params.append(group)
    backend = _sqlite if connection.vendor == "sqlite" else _postgresql
    return backend(terms, visible, params, limit, offset)


def _rows(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _results(rows, total) -> SearchResults:
    return SearchResults([SearchHit(kind, object_id, code, title, _html_snippet(snippet), round(float(score), 4))
                          for kind, object_id, code, title, snippet, score in rows], total)


def _sqlite(terms, visible, params, limit, offset) -> SearchResults:
    match = " OR ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    where = f"knowledge_search_fts MATCH %s AND {visible}"
    source = "knowledge_search_fts JOIN knowledge_searchentry e ON e.id = knowledge_search_fts.rowid"
    rows = _rows(
        f"SELECT e.kind, e.object_id, e.code, e.title, "
        f"snippet(knowledge_search_fts, 1, '{MARK_START}', '{MARK_END}', '…', 24), "
        f"-bm25(knowledge_search_fts, 10.0, 1.0) AS score FROM {source} WHERE {where} "
        f"ORDER BY bm25(knowledge_search_fts, 10.0, 1.0) LIMIT %s OFFSET %s", [match, *params, limit, offset])
    total = _rows(f"SELECT COUNT(*) FROM {source} WHERE {where}", [match, *params])[0][0]
    return _results(rows, total)


def _postgresql(terms, visible, params, limit, offset) -> SearchResults:
    query = " || ".join(["plainto_tsquery('simple', %s)"] * len(terms))
    where = f"e.search_vector @@ q.query AND {visible}"
    source = f"knowledge_searchentry e, ({'SELECT ' + query + ' AS query'}) q"
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15, MaxFragments=1"
    rows = _rows(
        f"SELECT kind, object_id, code, title, ts_headline('simple', body_words, query, %s), score FROM ("
        f"SELECT e.kind, e.object_id, e.code, e.title, e.body_words, q.query, "
        f"ts_rank_cd(e.search_vector, q.query) AS score FROM {source} WHERE {where} "
        f"ORDER BY score DESC, e.id LIMIT %s OFFSET %s) page ORDER BY score DESC",
        [options, *terms, *params, limit, offset])
    total = _rows(f"SELECT COUNT(*) FROM {source} WHERE {where}", [*terms, *params])[0][0]
    return _results(rows, total)
