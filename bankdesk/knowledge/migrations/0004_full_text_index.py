"""The full-text indexes over SearchEntry: one for knowledge (cases, articles), one for complaints,
so that a search of the small knowledge corpus never wades through a million complaints.

SQLite: two external-content FTS5 tables fed by triggers. PostgreSQL: a generated tsvector with
two partial GIN indexes.
"""

from django.db import migrations


def _fts(name: str, condition: str) -> list[str]:
    """An FTS5 table over the SearchEntry rows matching `condition`, kept in sync by triggers."""
    new, old = condition.format(row="new"), condition.format(row="old")
    insert = (f"INSERT INTO {name}(rowid, title_words, body_words) "
              f"SELECT new.id, new.title_words, new.body_words WHERE {new}")
    delete = (f"INSERT INTO {name}({name}, rowid, title_words, body_words) "
              f"SELECT 'delete', old.id, old.title_words, old.body_words WHERE {old}")
    return [
        f"""CREATE VIRTUAL TABLE {name} USING fts5(title_words, body_words, content='knowledge_searchentry',
            content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON knowledge_searchentry BEGIN {insert}; END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON knowledge_searchentry BEGIN {delete}; END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE ON knowledge_searchentry BEGIN {delete}; {insert}; END",
    ]


SQLITE = _fts("knowledge_search_fts", "{row}.kind <> 'complaint'") + _fts(
    "complaint_search_fts", "{row}.kind = 'complaint'")
POSTGRESQL = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_words), 'A') || setweight(to_tsvector('simple', body_words), 'B')
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
