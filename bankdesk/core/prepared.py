"""Reads whose SQL Django compiles once per process: `PreparedRead`."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.query import get_related_populators

# Keys no table holds, put in a read's place while it is compiled, then found again among its parameters.
STAND_INS = (-731_000_001, -731_000_002, -731_000_003)


class PreparedRead:
    """The model instances of a queryset built from a few integer keys, its SQL compiled once per database.

    Django compiles a queryset on every evaluation: for the complaint page's read (some 270 columns of the
    complaint and the rows joined to it) that took about 3 ms, ten times what the database took to answer.
    `build(*keys)` is called once with stand-in keys and compiled; each call runs that SQL with its keys where
    the stand-ins were and makes the instances as Django's ModelIterable does (joined rows, annotations, each
    column's converter). `build` must use its keys only as query values, not to shape the query.
    """

    def __init__(self, build, keys: int):
        self._build, self._keys = build, keys
        self._compiled: dict[str, tuple] = {}

    def __call__(self, *keys: int, using: str = "default") -> list:
        if len(keys) != self._keys:
            raise TypeError(f"this read takes {self._keys} keys, not {len(keys)}")
        sql, params, slots, compiler = self._compiled.get(using) or self._compile(using)
        params = list(params)
        for position, key in slots:
            params[position] = keys[key]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return _instances(compiler, rows, using)

    def _compile(self, using: str) -> tuple:
        stand_ins = STAND_INS[:self._keys]
        compiler = self._build(*stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [(position, stand_ins.index(value)) for position, value in enumerate(params)
                 if isinstance(value, int) and value in stand_ins]
        if {key for _position, key in slots} != set(range(self._keys)) or compiler.has_extra_select:
            raise ImproperlyConfigured("a prepared read must pass each key into its SQL as a value, without ordering")
        self._compiled[using] = (sql, params, slots, compiler)
        return self._compiled[using]


def _instances(compiler, rows: list, using: str) -> list:
    select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    field_names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, using)
    instances = []
    for row in compiler.results_iter([rows]):
        instance = klass_info["model"].from_db(using, field_names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations.items():
            setattr(instance, name, row[position])
        instances.append(instance)
    return instances
