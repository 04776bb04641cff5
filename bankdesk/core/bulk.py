"""Set-based writes: rows copied from one table to another by the database, never through Python; many
new rows of one model written with one prepared statement (`Rows`), their keys given out first (`reserve_ids`);
and on SQLite, a table's indexes built once after a large write instead of kept up to date row by row
(`indexes_built_after`)."""

import json
import time
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import signals
from django.db.models.base import ModelState

from bankdesk.core.pii import BlindIndexField, EncryptedTextField

# Fields whose Python value is what the database receives (no preparation to run).
PLAIN_FIELDS = {models.CharField, models.TextField, models.EmailField, models.BooleanField, models.IntegerField,
                models.BigIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
                models.SmallIntegerField, models.AutoField, models.BigAutoField, models.ForeignKey}


def insert_select(model, fields: list[str], queryset) -> int:
    """INSERT INTO model's table (fields) SELECT …: `queryset` is a values_list giving the columns in the
    order of `fields` (constants as Value(…, output_field=…)). Returns the rows inserted. Model defaults,
    auto_now and save() do not run: the queryset supplies every column the table requires."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    select_sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {select_sql}", params)
        return cursor.rowcount


def reserve_ids(*wanted: tuple) -> list[list[int]]:
    """New primary keys for rows about to be written with them (`Rows(model, with_ids=True)`): for each
    (model, count) of `wanted`, `count` keys of that model; one statement for all.

    Call inside the transaction that writes the rows. On SQLite it must already hold the database's write
    lock (BankDesk's transactions begin IMMEDIATE), so no one else takes keys until it commits: the keys
    follow the highest ever given (sqlite_sequence, as AUTOINCREMENT does) and the rows update it. On
    PostgreSQL they come from the table's sequence, like those the database gives itself."""
    wanted = [(model, count) for model, count in wanted]
    if not any(count for _model, count in wanted):
        return [[] for _wanted in wanted]
    quote = connection.ops.quote_name
    parts, params = [], []
    for model, count in wanted:
        table, column = model._meta.db_table, model._meta.pk.column
        if connection.vendor == "postgresql":
            parts.append("ARRAY(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s))")
            params += [quote(table), column, count]
        else:
            parts.append(f"max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                         f"coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0))")
            params.append(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = cursor.fetchone()
    if connection.vendor == "postgresql":
        return [list(keys) for keys in found]
    return [list(range(last + 1, last + 1 + count)) for last, (_model, count) in zip(found, wanted)]


@contextmanager
def indexes_built_after(model, keep: tuple[str, ...] = ()):
    """On SQLite, the block's new rows of `model` are written without keeping the table's indexes up to date:
    the indexes are dropped when the block begins and created again from their own SQL when it ends, in the
    caller's transaction, so no other connection ever sees the table without them. Inserting a row into
    some thirty B-trees at random places costs several times what sorting each index once costs when the
    block adds a large share of the table's rows (bench/complaint_import_bench.py).

    Kept as they are: unique indexes (the database still refuses a duplicate at once), those over a
    column of `keep` (what the block's own queries look up) and those over an expression (which columns
    it reads cannot be told from the catalogue, so it might be one of `keep`'s). Must run inside a transaction that is rolled
    back when the block raises: the dropped indexes come back with the rollback. Elsewhere than SQLite,
    nothing changes."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after needs the caller's transaction")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # an expression's entry in pragma_index_info has no column name (NULL, which group_concat skips)
        cursor.execute("SELECT i.name, m.sql, coalesce(group_concat(c.name, ' '), ''), count(*) - count(c.name) "
                       "FROM pragma_index_list(%s) AS i "
                       "JOIN sqlite_master AS m ON m.type = 'index' AND m.name = i.name "
                       "JOIN pragma_index_info(i.name) AS c WHERE NOT i.\"unique\" AND m.sql IS NOT NULL "
                       "GROUP BY i.name", [model._meta.db_table])
        dropped = [(name, sql) for name, sql, columns, expressions in cursor.fetchall()
                   if not expressions and not set(columns.split()) & set(keep)]
        for name, _sql in dropped:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in dropped:
            cursor.execute(sql)


class Instances:
    """Unsaved instances of `model` made from a dict of attribute values, faster than `model(**values)`.

    The instance gets every concrete field's default, then `values` (attribute names: `unit_id`, not
    `unit`); related objects already at hand go in `related` ({field name: object}) so reading them asks
    no query. Model.__init__ (its keyword handling and descriptors cost a tenth of a millisecond for a
    wide row) runs only when something listens to the model's pre_init or post_init signals."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.constant = {f.attname: f.get_default() for f in self.fields
                         if not f.has_default() or not callable(f.default)}
        self.called = [(f.attname, f.default) for f in self.fields if f.has_default() and callable(f.default)]
        self.attnames = {f.name: f.attname for f in self.fields if f.is_relation}

    def new(self, values: dict, related: dict | None = None):
        model = self.model
        if ((signals.pre_init.receivers or signals.post_init.receivers)  # none at all: no look-up per sender
                and (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))):
            instance = model(**values)
        else:
            instance = model.__new__(model)
            instance._state = ModelState()
            attributes = instance.__dict__
            attributes.update(self.constant)
            for name, default in self.called:
                attributes[name] = default()
            attributes.update(values)
        if related:
            attributes, cache = instance.__dict__, instance._state.fields_cache
            for name, value in related.items():
                attname = self.attnames.get(name) or model._meta.get_field(name).attname
                attributes[attname] = None if value is None else value.pk
                cache[name] = value
        return instance


def mark_saved(instances) -> None:
    """Instances written by `Rows` are from then on like those saved (not `adding`, of the default database)."""
    for instance in instances:
        instance._state.adding = False
        instance._state.db = "default"


class Rows:
    """New rows of one model, written with one prepared INSERT executed for each row (executemany) on SQLite
    and COPY on PostgreSQL; the values those bulk_create would send.

    bulk_create compiles a statement of at most 999 parameters on SQLite and prepares every value of
    every row through the field's whole chain (a wide row: most of its cost). Here each field is prepared
    as its get_db_prep_save would (encryption, decimals, dates as the backend adapts them, JSON as text),
    the blind indexes computed from their source field (their pre_save), and the fields that keep strings,
    numbers and keys as they are not touched. Dates and JSON values shared by many rows are prepared
    once per call. auto_now and defaults do not run: the rows carry every column (model instances made
    by `Instances`, or plain objects with an attribute per column). With `with_ids` the rows carry their
    primary key (`reserve_ids`); without, the database gives it.
    """

    def __init__(self, model, with_ids: bool = True):
        fields = [f for f in model._meta.local_concrete_fields if with_ids or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.blind = [(index, f) for index, f in enumerate(fields) if isinstance(f, BlindIndexField)]
        self.prepared_fields = [(index, f) for index, f in enumerate(fields)
                                if type(f) not in PLAIN_FIELDS and not isinstance(f, BlindIndexField)]
        quote = connection.ops.quote_name
        table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy = f"COPY {table} ({columns}) FROM STDIN"

    def _preparers(self) -> list:
        """One function per field to prepare, each remembering the values it prepared during this call."""
        database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
        preparers = []
        for index, field in self.prepared_fields:
            if isinstance(field, models.DateTimeField):
                preparers.append((index, _remembering(database.ops.adapt_datetimefield_value, key=lambda v: v)))
            elif isinstance(field, models.JSONField):  # the text get_db_prep_save sends
                preparers.append((index, _remembering(lambda value, f=field: json.dumps(value, cls=f.encoder),
                                                      key=id)))
            elif isinstance(field, EncryptedTextField):  # an empty text stays empty (get_prep_value's own rule)
                preparers.append((index, lambda value, f=field: value if value == "" else f.get_db_prep_save(
                    value, database)))
            else:
                preparers.append((index, lambda value, f=field: f.get_db_prep_save(value, database)))
        return preparers

    def values(self, rows) -> list[list]:
        names, blind, preparers = self.attnames, self.blind, self._preparers()
        prepared = []
        for row in rows:
            attributes = row.__dict__
            values = [attributes[name] for name in names]
            for index, field in blind:
                values[index] = field.pre_save(row, True)
            for index, prepare in preparers:
                if values[index] is not None:
                    values[index] = prepare(values[index])
            prepared.append(values)
        return prepared

    def insert(self, rows) -> None:
        self.insert_values(self.values(rows))

    def insert_values(self, values: list[list]) -> None:
        if not values:
            return
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.executemany(self.sql, values)
                return
            started = time.monotonic()
            with cursor.cursor.copy(self.copy) as copy:
                for row in values:
                    copy.write_row(row)
            if connection.queries_logged:  # counted like the statements the debug cursor logs
                connection.queries_log.append({"sql": f"{self.copy} -- {len(values)} rows",
                                               "time": f"{time.monotonic() - started:.3f}"})


def _remembering(prepare, key):
    """`prepare`, each distinct value (by `key`) prepared once."""
    done = {}

    def prepared(value):
        found = key(value)
        try:
            return done[found][1]
        except KeyError:
            done[found] = (value, prepare(value))  # the value kept alive: an id is not reused meanwhile
            return done[found][1]

    return prepared
