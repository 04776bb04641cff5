"""The full-text indexes over SearchEntry: one for knowledge (cases, articles), one for complaints,
so that a search of the small knowledge corpus never wades through a million complaints.

SQLite: two external-content FTS5 tables fed by triggers. PostgreSQL: a generated tsvector with
two partial GIN indexes.
"""

from django.db import migrations


def _fts(name: str, condition: str, columns: list[str]) -> list[str]:
    """An FTS5 table over the SearchEntry rows matching `condition`, kept in sync by triggers."""
    new, old = condition.format(row="new"), condition.format(row="old")
    names = ", ".join(columns)
    insert = (f"INSERT INTO {name}(rowid, {names}) "
              f"SELECT new.id, {', '.join('new.' + c for c in columns)} WHERE {new}")
    delete = (f"INSERT INTO {name}({name}, rowid, {names}) "
              f"SELECT 'delete', old.id, {', '.join('old.' + c for c in columns)} WHERE {old}")
    return [
        f"""CREATE VIRTUAL TABLE {name} USING fts5({names}, content='knowledge_searchentry',
            content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON knowledge_searchentry BEGIN {insert}; END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON knowledge_searchentry BEGIN {delete}; END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE ON knowledge_searchentry BEGIN {delete}; {insert}; END",
    ]


# Complaints carry their scope as words (every ancestor path of the unit concerned and of the lead
# department, and the handler), so a scoped search is an intersection inside the index.
SQLITE = _fts("knowledge_search_fts", "{row}.kind <> 'complaint'", ["title_words", "body_words"]) + _fts(
    "complaint_search_fts", "{row}.kind = 'complaint'", ["title_words", "body_words", "scope_words"])
POSTGRESQL = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_words), 'A') || setweight(to_tsvector('simple', body_words), 'B')
        || setweight(to_tsvector('simple', scope_words), 'D')
    ) STORED""",
    """CREATE INDEX knowledge_searchentry_knowledge_vector ON knowledge_searchentry USING GIN (search_vector)
       WHERE kind <> 'complaint'""",
    """CREATE INDEX knowledge_searchentry_complaint_vector ON knowledge_searchentry USING GIN (search_vector)
       WHERE kind = 'complaint'""",
]


def create_index(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_search_entry")]

    operations = [migrations.RunPython(create_index, migrations.RunPython.noop)]
