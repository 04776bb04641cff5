"""Searching: the knowledge corpus (cases, articles) ranked by relevance, then complaints.

Knowledge is small and ranked by bm25 / ts_rank_cd on any of the words. Complaints are many: a
search wants those that contain all the words (any, when none contains all), newest first, in
the user's scope. The scope is part of the full-text query (complaints are indexed with scope
words, see documents.scope_words), so the index intersects instead of the database filtering, and
newest-first lets it stop after one page. Counts of complaints stop at COUNT_LIMIT (shown as "1,000+").
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape

from bankdesk.core.permissions import Permission, has_permission, scope_paths
from bankdesk.knowledge.search.documents import handler_word, path_word
from bankdesk.knowledge.search.segment import snippet, words

KINDS = ("case", "article", "complaint")
KNOWLEDGE_KINDS = ("case", "article")
MARK_START, MARK_END = "\x02", "\x03"
MAX_TERMS = 32
COUNT_LIMIT = 1_000


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
    total_is_lower_bound: bool = False  # more complaints match than were counted


def _html_snippet(raw: str) -> str:
    return escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _rows(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hits(rows, terms: list[str]) -> list[SearchHit]:
    """Rows of (kind, id, code, title, body, score or None); None scores by words matched."""
    hits = []
    for kind, object_id, code, title, body, score in rows:
        text, matched = snippet(body, terms)
        hits.append(SearchHit(kind, object_id, code, title, _html_snippet(text),
                              round(float(score) if score is not None else matched / len(terms), 4)))
    return hits


def _scope_words(user) -> list[str]:
    return [path_word(path) for path in scope_paths(user, Permission.VIEW_COMPLAINTS)] + [handler_word(user.pk)]


def _counted(total: int) -> tuple[int, bool]:
    return min(total, COUNT_LIMIT), total > COUNT_LIMIT


ENTRY_COLUMNS = "e.kind, e.object_id, e.code, e.title, e.body"


class SQLiteIndex:
    def match(self, terms: list[str], every: bool) -> str:
        return (" AND " if every else " OR ").join(self._quoted(terms))

    def _quoted(self, words: list[str]) -> list[str]:
        return ['"{}"'.format(word.replace('"', '""')) for word in words]

    def knowledge(self, terms, kinds, group, limit, offset) -> SearchResults:
        where, params = f"e.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
        if group:
            where += ' AND e."group" = %s'
            params.append(group)
        source = "knowledge_search_fts f JOIN knowledge_searchentry e ON e.id = f.rowid"
        match = self.match(terms, every=False)
        rows = _rows(f"SELECT {ENTRY_COLUMNS}, -bm25(knowledge_search_fts, 10.0, 1.0) FROM {source} "
                     f"WHERE knowledge_search_fts MATCH %s AND {where} "
                     f"ORDER BY bm25(knowledge_search_fts, 10.0, 1.0) LIMIT %s OFFSET %s",
                     [match, *params, limit, offset])
        total = _rows(f"SELECT COUNT(*) FROM {source} WHERE knowledge_search_fts MATCH %s AND {where}",
                      [match, *params])[0][0]
        return SearchResults(_hits(rows, terms), total)

    def complaints(self, terms, every, scope_words, limit, offset) -> SearchResults:
        match = (f"{{title_words body_words}} : ({self.match(terms, every)}) "
                 f"AND scope_words : ({' OR '.join(self._quoted(scope_words))})")
        # The page of ids comes from the index alone, newest first, so it stops after one page.
        rows = _rows(f"SELECT {ENTRY_COLUMNS}, NULL FROM (SELECT rowid FROM complaint_search_fts "
                     f"WHERE complaint_search_fts MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s) page "
                     f"JOIN knowledge_searchentry e ON e.id = page.rowid ORDER BY e.id DESC",
                     [match, limit, offset])
        total = _rows("SELECT COUNT(*) FROM (SELECT rowid FROM complaint_search_fts WHERE complaint_search_fts "
                      "MATCH %s LIMIT %s)", [match, COUNT_LIMIT + 1])[0][0]
        return SearchResults(_hits(rows, terms), *_counted(total))


class PostgreSQLIndex:
    def query(self, terms: list[str], every: bool) -> str:
        return (" && " if every else " || ").join(["plainto_tsquery('simple', %s)"] * len(terms))

    def _source(self, query: str) -> str:
        return f"knowledge_searchentry e, (SELECT {query} AS query) q"

    def knowledge(self, terms, kinds, group, limit, offset) -> SearchResults:
        where, params = f"e.kind <> 'complaint' AND e.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
        if group:
            where += ' AND e."group" = %s'
            params.append(group)
        source, condition = self._source(self.query(terms, False)), f"e.search_vector @@ q.query AND {where}"
        rows = _rows(f"SELECT {ENTRY_COLUMNS}, ts_rank_cd(e.search_vector, q.query) AS score FROM {source} "
                     f"WHERE {condition} ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                     [*terms, *params, limit, offset])
        total = _rows(f"SELECT COUNT(*) FROM {source} WHERE {condition}", [*terms, *params])[0][0]
        return SearchResults(_hits(rows, terms), total)

    def complaints(self, terms, every, scope_words, limit, offset) -> SearchResults:
        """Newest first. Few matches: fetch them through the GIN index and sort (`e.id + 0` keeps the
        planner off the primary key). Many: walk the primary key backwards, which meets a page of
        matches quickly precisely because they are many."""
        source = self._source(f"({self.query(terms, every)}) && to_tsquery('simple', %s)")
        condition = "e.search_vector @@ q.query AND e.kind = 'complaint'"
        params = [*terms, " | ".join(scope_words)]
        total = _rows(f"SELECT COUNT(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT %s) counted",
                      [*params, COUNT_LIMIT + 1])[0][0]
        order = "e.id DESC" if total > COUNT_LIMIT else "e.id + 0 DESC"
        rows = _rows(f"SELECT {ENTRY_COLUMNS}, NULL FROM {source} WHERE {condition} ORDER BY {order} "
                     f"LIMIT %s OFFSET %s", [*params, limit, offset]) if total else []
        return SearchResults(_hits(rows, terms), *_counted(total))


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
    hits, total, more = [], 0, False
    knowledge_kinds = [k for k in kinds if k in KNOWLEDGE_KINDS]
    if knowledge_kinds and has_permission(user, Permission.VIEW_KNOWLEDGE):
        found = index.knowledge(terms, knowledge_kinds, group, limit, offset)
        hits, total = found.hits, found.total
    if "complaint" in kinds and not group and has_permission(user, Permission.VIEW_COMPLAINTS):
        scope_words = _scope_words(user)
        room, complaint_offset = limit - len(hits), max(0, offset - total)
        found = index.complaints(terms, True, scope_words, room, complaint_offset)
        if found.total == 0 and len(terms) > 1:
            found = index.complaints(terms, False, scope_words, room, complaint_offset)
        hits, total, more = hits + found.hits, total + found.total, found.total_is_lower_bound
    return SearchResults(hits, total, more)
