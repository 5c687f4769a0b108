"""Querysets compiled to SQL once, then run again with new parameters.

Django compiles a queryset to SQL each time it is evaluated.  For the few queries every render
makes (the learner's settings, the learner's own row in a block) compiling costs far more than the
database takes to answer: the learner-settings query took about 800 µs through the ORM, of which
580 µs was compiling and 45 µs SQLite running the same SQL (bench/blocks_bench.py, docs/benchmarks.md).

:class:`CompiledQuery` builds the queryset once per database connection with sentinel values for
its parameters, keeps the SQL and the compiler's description of the columns, and afterwards only
runs the SQL with the real values, turning rows into model instances (``select_related`` included)
or tuples exactly as Django's own iterables do, with the same database converters.

Limits, checked when the query is first compiled: parameters are ``int`` or ``str`` values compared
as they are (exact lookups, ``in`` with a fixed number of values is not supported), the SQL must not
depend on them otherwise (no slicing by a parameter), and no ``prefetch_related``.
"""
import weakref

from django.db import connections
from django.db.models.query import get_related_populators

SENTINELS = {
    int: lambda n: 7_300_000_000_000 + n,
    str: lambda n: f"\ue000compiled-parameter-{n}\ue000",
}


class CompiledQuery:
    """``build(**params)`` returns a queryset; ``types`` name each parameter's type (``int`` or ``str``).

    >>> SETTINGS = CompiledQuery(lambda username: User.objects.filter(username=username)[:1], username=str)
    >>> SETTINGS.first(username="alice")
    """

    def __init__(self, build, **types):
        unknown = {name: kind for name, kind in types.items() if kind not in SENTINELS}
        if unknown:
            raise TypeError(f"unsupported parameter types: {unknown}")
        self.build, self.types = build, types
        self._by_connection = weakref.WeakKeyDictionary()   # connection -> _Compiled (SQL and converters only)

    # ---- running -------------------------------------------------------------------------------
    def objects(self, **params):
        """The model instances the queryset would give for ``params``."""
        compiled = self._compiled()
        rows = compiled.run(params)
        db, klass_info, select = compiled.alias, compiled.compiler.klass_info, compiled.compiler.select
        start, end = compiled.model_fields
        populators = get_related_populators(klass_info, select, db)
        annotations = compiled.compiler.annotation_col_map
        model = klass_info["model"]
        found = []
        for row in rows:
            obj = model.from_db(db, compiled.init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in (annotations or {}).items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def first(self, **params):
        """The first instance, or ``None``."""
        found = self.objects(**params)
        return found[0] if found else None

    def rows(self, **params):
        """The rows as tuples, for a ``values_list`` queryset (columns in its order)."""
        return [tuple(row) for row in self._compiled().run(params)]

    def dicts(self, **params):
        """The rows as dicts, for a ``values`` queryset, as ``.values()`` gives them."""
        compiled = self._compiled()
        return [dict(zip(compiled.names, row, strict=True)) for row in compiled.run(params)]

    # ---- compiling -----------------------------------------------------------------------------
    def _compiled(self):
        """The compiled query of this thread's connection (Django gives each thread its own): the
        package's models live in the default database (a router sending them elsewhere would only
        make every call compile again)."""
        connection = connections["default"]
        compiled = self._by_connection.get(connection)
        if compiled is None:
            sentinels = {name: SENTINELS[kind](n) for n, (name, kind) in enumerate(self.types.items())}
            compiled = _Compiled(self.build(**sentinels), sentinels)
            if connections[compiled.alias] is connection:
                self._by_connection[connection] = compiled
        return compiled


class _Compiled:
    """One queryset's SQL, where each parameter goes, and how its rows are read, for one connection."""

    def __init__(self, queryset, sentinels):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:  # noqa: SLF001
            raise ValueError("CompiledQuery does not support prefetch_related or related managers")
        self.alias = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.alias)
        self.sql, params = self.compiler.as_sql()
        by_value = {value: name for name, value in sentinels.items()}
        self.slots = [by_value.get(value) if type(value) in SENTINELS else None for value in params]
        self.constants = list(params)
        missing = set(sentinels) - set(self.slots)
        if missing:
            raise ValueError(f"parameters not found in the SQL as given (transformed or unused): {sorted(missing)}")
        compiler = self.compiler
        self.col_count = compiler.col_count
        self.trim = compiler.has_extra_select
        self.converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        query = queryset.query
        selected = getattr(query, "selected", None)     # Django 5.2 keeps the order .values() asked in
        self.names = list(selected) if selected else [*query.extra_select, *query.values_select,
                                                        *query.annotation_select]
        klass_info = compiler.klass_info
        if klass_info:
            fields = klass_info["select_fields"]
            self.model_fields = (fields[0], fields[-1] + 1)
            self.init_list = [column[0].target.attname for column in compiler.select[fields[0]:fields[-1] + 1]]

    def run(self, params):
        values = [params[slot] if slot else constant for slot, constant in zip(self.slots, self.constants, strict=True)]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, values)
            rows = cursor.fetchall()
        if self.trim:
            rows = [row[:self.col_count] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows
