"""Searching: the knowledge corpus (cases, articles) ranked by relevance, then complaints.

Knowledge is small and ranked by bm25 / ts_rank_cd on any of the words. Complaints are many: a
search wants those that contain all the words (any, when none contains all), newest first, in
the user's scope; newest-first lets the index stop after one page instead of ranking every match.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape

from bankdesk.core.permissions import Permission, has_permission, scope_paths
from bankdesk.knowledge.search.segment import unsegment, words
from bankdesk.orgs.models import next_path

KINDS = ("case", "article", "complaint")
KNOWLEDGE_KINDS = ("case", "article")
MARK_START, MARK_END = "\x02", "\x03"
MAX_TERMS = 32


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


def _html_snippet(raw: str) -> str:
    return escape(unsegment(raw or "")).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _rows(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hits(rows) -> list[SearchHit]:
    return [SearchHit(kind, object_id, code, title, _html_snippet(snippet), round(float(score), 4))
            for kind, object_id, code, title, snippet, score in rows]


def _complaint_scope(user) -> tuple[str, list]:
    ranges, params = [], []
    for path in scope_paths(user, Permission.VIEW_COMPLAINTS):
        ranges.append("(e.unit_path >= %s AND e.unit_path < %s) OR (e.lead_path >= %s AND e.lead_path < %s)")
        params += [path, next_path(path), path, next_path(path)]
    ranges.append("e.handler_id = %s")
    params.append(user.pk)
    return "(" + " OR ".join(ranges) + ")", params


class SQLiteIndex:
    SNIPPET = f"'{MARK_START}', '{MARK_END}', '…', 24"

    def match(self, terms: list[str], every: bool) -> str:
        return (" AND " if every else " OR ").join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def knowledge(self, terms, kinds, group, limit, offset) -> SearchResults:
        where, params = self._knowledge_where(kinds, group)
        source = "knowledge_search_fts f JOIN knowledge_searchentry e ON e.id = f.rowid"
        match = self.match(terms, every=False)
        rows = _rows(f"SELECT e.kind, e.object_id, e.code, e.title, snippet(knowledge_search_fts, 1, {self.SNIPPET}), "
                     f"-bm25(knowledge_search_fts, 10.0, 1.0) FROM {source} WHERE knowledge_search_fts MATCH %s "
                     f"AND {where} ORDER BY bm25(knowledge_search_fts, 10.0, 1.0) LIMIT %s OFFSET %s",
                     [match, *params, limit, offset])
        total = _rows(f"SELECT COUNT(*) FROM {source} WHERE knowledge_search_fts MATCH %s AND {where}",
                      [match, *params])[0][0]
        return SearchResults(_hits(rows), total)

    def _knowledge_where(self, kinds, group) -> tuple[str, list]:
        where, params = f"e.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
        if group:
            where += ' AND e."group" = %s'
            params.append(group)
        return where, params

    def complaints(self, terms, every, scope, scope_params, limit, offset) -> SearchResults:
        source = "complaint_search_fts f JOIN knowledge_searchentry e ON e.id = f.rowid"
        match = self.match(terms, every)
        rows = _rows(f"SELECT e.kind, e.object_id, e.code, e.title, snippet(complaint_search_fts, 1, {self.SNIPPET}), "
                     f"-bm25(complaint_search_fts, 10.0, 1.0) FROM {source} WHERE complaint_search_fts MATCH %s "
                     f"AND {scope} ORDER BY f.rowid DESC LIMIT %s OFFSET %s", [match, *scope_params, limit, offset])
        total = _rows(f"SELECT COUNT(*) FROM {source} WHERE complaint_search_fts MATCH %s AND {scope}",
                      [match, *scope_params])[0][0]
        return SearchResults(_hits(rows), total)


class PostgreSQLIndex:
    HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15, MaxFragments=1"

    def query(self, terms: list[str], every: bool) -> str:
        return (" && " if every else " || ").join(["plainto_tsquery('simple', %s)"] * len(terms))

    def _page(self, where, params, terms, every, order, limit, offset) -> SearchResults:
        source = f"knowledge_searchentry e, (SELECT {self.query(terms, every)} AS query) q"
        condition = f"e.search_vector @@ q.query AND {where}"
        rows = _rows(f"SELECT kind, object_id, code, title, ts_headline('simple', body_words, query, %s), score FROM ("
                     f"SELECT e.kind, e.object_id, e.code, e.title, e.body_words, q.query, "
                     f"ts_rank_cd(e.search_vector, q.query) AS score FROM {source} WHERE {condition} "
                     f"ORDER BY {order} LIMIT %s OFFSET %s) page",
                     [self.HEADLINE, *terms, *params, limit, offset])
        total = _rows(f"SELECT COUNT(*) FROM {source} WHERE {condition}", [*terms, *params])[0][0]
        return SearchResults(_hits(rows), total)

    def knowledge(self, terms, kinds, group, limit, offset) -> SearchResults:
        where, params = f"e.kind <> 'complaint' AND e.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
        if group:
            where += ' AND e."group" = %s'
            params.append(group)
        return self._page(where, params, terms, False, "score DESC, e.id", limit, offset)

    def complaints(self, terms, every, scope, scope_params, limit, offset) -> SearchResults:
        return self._page(f"e.kind = 'complaint' AND {scope}", scope_params, terms, every, "e.id DESC", limit,
                          offset)


def _index():
    return SQLiteIndex() if connection.vendor == "sqlite" else PostgreSQLIndex()


def search(user, text: str, kinds: list[str] | None = None, group: str = "", limit: int = 20,
           offset: int = 0) -> SearchResults:
    """What the user may see that matches `text`: knowledge first, by relevance, then complaints."""
    terms = list(dict.fromkeys(words(text)))[:MAX_TERMS]
    kinds = [k for k in (kinds or KINDS) if k in KINDS]
    if not terms:
        return SearchResults([], 0)
    index = _index()
    hits, total = [], 0
    knowledge_kinds = [k for k in kinds if k in KNOWLEDGE_KINDS]
    if knowledge_kinds and has_permission(user, Permission.VIEW_KNOWLEDGE):
        found = index.knowledge(terms, knowledge_kinds, group, limit, offset)
        hits, total = found.hits, found.total
    if "complaint" in kinds and not group and has_permission(user, Permission.VIEW_COMPLAINTS):
        scope, scope_params = _complaint_scope(user)
        room, complaint_offset = limit - len(hits), max(0, offset - total)
        found = index.complaints(terms, True, scope, scope_params, room, complaint_offset)
        if found.total == 0 and len(terms) > 1:
            found = index.complaints(terms, False, scope, scope_params, room, complaint_offset)
        hits, total = hits + found.hits, total + found.total
    return SearchResults(hits, total)
