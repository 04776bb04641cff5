"""Chinese full-text search over cases, articles and complaints, behind one interface.

Text is segmented with rjieba and stored as space-separated words in `SearchEntry`; SQLite
indexes them with FTS5 (bm25), PostgreSQL with a generated tsvector and a GIN index (ts_rank_cd).
`index`, `index_many` and `search` are all the rest of the code needs.
"""

from bankdesk.knowledge.search.documents import Document, index, index_many  # noqa: F401
from bankdesk.knowledge.search.query import (  # noqa: F401
    KINDS,
    RankedKind,
    SearchHit,
    SearchResults,
    all_kinds,
    page_of,
    register_ranked_kind,
    search,
)
