"""Set-based writes: rows copied from one table to another by the database, never through Python."""

from django.db import connection


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
