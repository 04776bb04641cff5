"""The full-text index over SearchEntry: FTS5 on SQLite, a generated tsvector with GIN on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        title_words, body_words, content='knowledge_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER knowledge_search_ai AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words); END""",
    """CREATE TRIGGER knowledge_search_ad AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words); END""",
    """CREATE TRIGGER knowledge_search_au AFTER UPDATE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words);
        INSERT INTO knowledge_search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words); END""",
]
POSTGRESQL = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_words), 'A') || setweight(to_tsvector('simple', body_words), 'B')
    ) STORED""",
    "CREATE INDEX knowledge_searchentry_vector ON knowledge_searchentry USING GIN (search_vector)",
]


def create_index(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_search_entry")]

    operations = [migrations.RunPython(create_index, migrations.RunPython.noop)]
