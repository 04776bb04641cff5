"""Searching: the knowledge corpus (cases, articles) ranked by relevance, then complaints.

Knowledge is small: every document with any of the words is ranked by BM25 in Python. Complaints are many: a
search wants those that contain all the words (any, when none contains all), newest first, in
the user's scope. The scope is part of the full-text query (complaints are indexed with scope
words, see documents.scope_words), so the index intersects instead of the database filtering, and
newest-first lets it stop after one page. Counts of complaints stop at COUNT_LIMIT (shown as "1,000+").
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape

from bankdesk.core.permissions import has_permission, scope_paths
from bankdesk.knowledge.permissions import KnowledgePermission
from bankdesk.knowledge.search.documents import handler_word, path_word
from bankdesk.knowledge.search.segment import snippet, words

KINDS = ("case", "article", "complaint")
KIND_PERMISSIONS: dict[str, str] = {}  # a kind another app indexes -> the permission that shows its hits


def register_kind_permission(kind: str, permission: str) -> None:
    """The app that indexes `kind` (complaints: "complaint") names the permission its hits need; scoped by
    the permission's unit paths. Without one, no hit of that kind is shown."""
    KIND_PERMISSIONS[kind] = permission


def _may_see(user, kind: str) -> bool:
    return kind in KIND_PERMISSIONS and has_permission(user, KIND_PERMISSIONS[kind])


@dataclass(frozen=True)
class RankedKind:
    """A kind of document another app indexes to be found beside cases and articles (callcenter: "script")."""

    label: str
    permission: str  # the right its hits need
    visible_ids: Callable  # (user, ids) -> the ids among them the user may see (one query)
    page: Callable  # hit -> the URL of the document's page


RANKED_KINDS: dict[str, RankedKind] = {}


def register_ranked_kind(kind: str, ranked: RankedKind) -> None:
    """Rank `kind` with the knowledge (BM25), for users holding its permission, limited by its `visible_ids`."""
    RANKED_KINDS[kind] = ranked


def all_kinds() -> tuple:
    """Every kind a search may ask for: the built-in ones and those other apps registered."""
    return KINDS + tuple(RANKED_KINDS)


def page_of(hit) -> tuple[str, str] | None:
    """(label, URL) of a registered kind's hit; None for the built-in kinds."""
    ranked = RANKED_KINDS.get(hit.kind)
    return (str(ranked.label), ranked.page(hit)) if ranked else None


def _ranked_kinds(user, kinds: list[str]) -> list[str]:
    knowledge = has_permission(user, KnowledgePermission.VIEW_KNOWLEDGE)
    return [k for k in kinds if (k in KNOWLEDGE_KINDS and knowledge)
            or (k in RANKED_KINDS and has_permission(user, RANKED_KINDS[k].permission))]


def _visible_rows(user, rows: list) -> list:
    """Drop the hits of registered kinds the user may not see (rows: kind, id, ...)."""
    hidden = set()
    for kind in {row[0] for row in rows} & set(RANKED_KINDS):
        ids = [row[1] for row in rows if row[0] == kind]
        hidden |= {(kind, i) for i in set(ids) - set(RANKED_KINDS[kind].visible_ids(user, ids))}
    return [row for row in rows if (row[0], row[1]) not in hidden] if hidden else rows


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
    return [path_word(path) for path in scope_paths(user, KIND_PERMISSIONS["complaint"])] + [handler_word(user.pk)]


def _counted(total: int) -> tuple[int, bool]:
    return min(total, COUNT_LIMIT), total > COUNT_LIMIT


ENTRY_COLUMNS = "e.kind, e.object_id, e.code, e.title, e.body"
TITLE_WEIGHT, BM25_K1, BM25_B = 10.0, 1.2, 0.75


def _knowledge_where(kinds, group) -> tuple[str, list]:
    where, params = f"e.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
    if group:
        where += ' AND e."group" = %s'
        params.append(group)
    return where, params


def rank(rows, terms: list[str]) -> list:
    """Order knowledge matches by BM25 in the way of FTS5 (per column, title weighted
    TITLE_WEIGHT; frequencies over the documents with any of the words), the same on every
    database: the corpus is small enough to rank in Python, and
    PostgreSQL's ts_rank knows no inverse document frequency."""
    if not rows:
        return []
    columns = [[Counter(row[5].split()) for row in rows], [Counter(row[6].split()) for row in rows]]
    count = len(rows)
    idf = {}
    for term in terms:
        df = sum(1 for title, body in zip(*columns) if term in title or term in body)
        idf[term] = max(math.log((count - df + 0.5) / (df + 0.5)), 1e-6)
    scores = [0.0] * count
    for weight, counters in zip((TITLE_WEIGHT, 1.0), columns):
        average = sum(sum(c.values()) for c in counters) / count or 1
        for position, counter in enumerate(counters):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * sum(counter.values()) / average)
            scores[position] += weight * sum(idf[t] * counter[t] * (BM25_K1 + 1) / (counter[t] + norm)
                                             for t in terms if counter[t])
    return sorted(((*row[:5], score) for row, score in zip(rows, scores)), key=lambda row: (-row[5], row[1]))


class SQLiteIndex:
    def match(self, terms: list[str], every: bool) -> str:
        return (" AND " if every else " OR ").join(self._quoted(terms))

    def _quoted(self, words: list[str]) -> list[str]:
        return ['"{}"'.format(word.replace('"', '""')) for word in words]

    def knowledge(self, terms, kinds, group) -> list:
        where, params = _knowledge_where(kinds, group)
        return _rows(f"SELECT {ENTRY_COLUMNS}, e.title_words, e.body_words FROM knowledge_search_fts f "
                     f"JOIN knowledge_searchentry e ON e.id = f.rowid WHERE knowledge_search_fts MATCH %s AND {where}",
                     [self.match(terms, every=False), *params])

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

    def knowledge(self, terms, kinds, group) -> list:
        where, params = _knowledge_where(kinds, group)
        return _rows(f"SELECT {ENTRY_COLUMNS}, e.title_words, e.body_words FROM {self._source(self.query(terms, False))} "
                     f"WHERE e.search_vector @@ q.query AND e.kind <> 'complaint' AND {where}", [*terms, *params])

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
    every = all_kinds()
    asked = [k for k in (kinds or every) if k in every]
    if not terms:
        return SearchResults([], 0)
    index = _index()
    hits, total, more = [], 0, False
    ranked_kinds = _ranked_kinds(user, asked)
    if ranked_kinds:
        ranked = _visible_rows(user, rank(index.knowledge(terms, ranked_kinds, group), terms))
        hits, total = _hits(ranked[offset:offset + limit], terms), len(ranked)
    if "complaint" in asked and not group and _may_see(user, "complaint"):
        scope_words = _scope_words(user)
        room, complaint_offset = limit - len(hits), max(0, offset - total)
        found = index.complaints(terms, True, scope_words, room, complaint_offset)
        if found.total == 0 and len(terms) > 1:
            found = index.complaints(terms, False, scope_words, room, complaint_offset)
        hits, total, more = hits + found.hits, total + found.total, found.total_is_lower_bound
    return SearchResults(hits, total, more)
