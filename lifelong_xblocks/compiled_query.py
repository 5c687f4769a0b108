"""Querysets compiled to SQL once, then run again with new parameters: the package's one mechanism
for the queries a render or a handler makes every time.

Django compiles a queryset to SQL each time it is evaluated.  For the few queries every render makes
(the learner's settings, the learner's own row in a block, a block's page) compiling costs far more
than the database takes to answer: the learner-settings query took about 800 µs through the ORM, of
which 580 µs was compiling and 45 µs SQLite running the same SQL; a bookshelf page query with a dozen
subqueries took Django several milliseconds (docs/benchmarks.md).

:class:`CompiledQuery` builds the queryset once per database connection with sentinel values for its
parameters, keeps the SQL and the compiler's description of the columns, and afterwards only runs the
SQL with the real values, reading rows exactly as Django's own iterables do (model instances with
``select_related``, ``values()`` dicts, ``values_list()`` tuples) through the same database
converters (booleans, dates, JSON).  :class:`CompiledUnion` runs several ``values()`` querysets as
one statement.  Nothing is kept but SQL text and converters: no data, no cross-request cache.

Parameter types, checked when the query is first compiled:

* ``int`` and ``str``: a value compared as it is (``=``, or one of a fixed number of ``IN`` values:
  give each its own parameter and compile one query per count); an ``int`` is an id or another
  column of at least 32 bits;
* :data:`LIKE`: text searched for inside a ``contains``/``icontains`` pattern, also in a JSON
  field's text (``"word"``), escaped as Django escapes it.

The SQL must not depend on the values otherwise (a slice is written into the SQL: pass a page's
``LIMIT``/``OFFSET`` as ``suffix``); ``prefetch_related`` and related managers are refused.
"""
import json

from django.db import connections
from django.db.models.query import get_related_populators

LIKE = "like"     # the type of a parameter searched for inside a LIKE pattern
SENTINELS = {
    # within a 32-bit integer column's range: Django refuses to compare an id column with a value
    # outside it on MySQL (EmptyResultSet), which would fail the compile
    int: lambda n: 2_147_000_000 + n,
    str: lambda n: f"\ue000compiled-parameter-{n}\ue000",
    LIKE: lambda n: f"qqlifelongparameter{n}qq",    # letters and digits only: Django's LIKE escaping keeps it
}


def _sentinels(types):
    unknown = {name: kind for name, kind in types.items() if kind not in SENTINELS}
    if unknown:
        raise TypeError(f"unsupported parameter types: {unknown}")
    return {name: SENTINELS[kind](n) for n, (name, kind) in enumerate(types.items())}


class _Compiled:
    """One queryset's SQL, where each parameter goes, and how its rows are read, for one connection."""

    def __init__(self, queryset, types, sentinels, connection):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:  # noqa: SLF001
            raise ValueError("CompiledQuery does not support prefetch_related or related managers")
        self.connection = connection
        self.compiler = compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.slots = [_slot(param, types, sentinels) for param in params]
        missing = set(sentinels) - {name for _kind, name, _value in self.slots if name}
        inlined = [name for name, value in sentinels.items() if str(value) in self.sql]
        if missing or inlined:
            raise ValueError(f"parameters {sorted(missing or inlined)} are not passed to the SQL as given "
                             f"(transformed, unused or written into it): {self.sql}")
        self.col_count, self.trim = compiler.col_count, compiler.has_extra_select
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

    def bind(self, params):
        """The SQL's parameters with ``params`` (name -> value) in the sentinels' places."""
        like = self.connection.ops.prep_for_like_query
        bound = []
        for kind, name, value in self.slots:
            if kind == "value":
                value = params[name]
            elif kind == "like":       # value: Django's pattern around the sentinel, e.g. %qq...qq%
                sentinel, text = value[0], str(params[name])
                quoted = json.dumps(sentinel)
                value = (value[1].replace(quoted, like(json.dumps(text))) if quoted in value[1]
                         else value[1].replace(sentinel, like(text)))
            bound.append(value)
        return bound

    def convert(self, rows):
        """Raw rows as the ORM reads them: extra ordering columns dropped, database converters applied."""
        if self.trim:
            rows = [row[:self.col_count] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows

    def run(self, params, suffix=""):
        return self.convert(_execute(self.connection, f"{self.sql} {suffix}" if suffix else self.sql,
                                     self.bind(params)))

    def instances(self, rows):
        """Model instances of converted rows, as ``ModelIterable`` builds them."""
        compiler, db = self.compiler, self.connection.alias
        klass_info = compiler.klass_info
        populators = get_related_populators(klass_info, compiler.select, db)
        annotations = compiler.annotation_col_map or {}
        model, (start, end) = klass_info["model"], self.model_fields
        found = []
        for row in rows:
            obj = model.from_db(db, self.init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _slot(param, types, sentinels):
    """``(kind, name, value)`` of one SQL parameter: a named value, a LIKE pattern holding one, or a constant."""
    for name, sentinel in sentinels.items():
        if types[name] == LIKE:
            if isinstance(param, str) and sentinel in param:
                return ("like", name, (sentinel, param))
        elif type(param) is type(sentinel) and param == sentinel:
            return ("value", name, None)
    return ("constant", None, param)


def _execute(connection, sql, values):
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


class _PerConnection:
    """Compiled once per database connection (Django gives each thread its own), and kept ON the
    connection: when a thread of a threaded server ends, its connection goes and its compiled SQL
    with it (a dictionary keyed by connections would keep them alive, since the compiler refers to
    its connection).  The package's models live in the default database (a router sending them
    elsewhere would only make every call compile again)."""

    def __init__(self, types):
        self.types, self.sentinels = types, _sentinels(types)

    def _compiled(self):
        connection = connections["default"]
        kept = connection.__dict__.setdefault("lifelong_compiled_queries", {})
        compiled = kept.get(self)
        if compiled is None:
            compiled = kept[self] = self._compile(connection)
        return compiled


class CompiledQuery(_PerConnection):
    """``build(**params)`` returns a queryset; ``types`` name each parameter's type (``int``, ``str``, :data:`LIKE`).

    >>> SETTINGS = CompiledQuery(lambda username: User.objects.filter(username=username)[:1], username=str)
    >>> SETTINGS.first(username="alice")
    """

    def __init__(self, build, **types):
        super().__init__(types)
        self.build = build

    def _compile(self, connection):
        queryset = self.build(**self.sentinels)
        if connections[queryset.db] is not connection:
            raise ValueError("CompiledQuery runs on the default database only")
        return _Compiled(queryset, self.types, self.sentinels, connection)

    def objects(self, **params):
        """The model instances the queryset would give for ``params``."""
        compiled = self._compiled()
        return compiled.instances(compiled.run(params))

    def first(self, **params):
        """The first instance, or ``None``."""
        found = self.objects(**params)
        return found[0] if found else None

    def rows(self, suffix="", **params):
        """The rows as tuples, for a ``values_list`` queryset (``suffix``: SQL after it, e.g. a page's LIMIT)."""
        return [tuple(row) for row in self._compiled().run(params, suffix)]

    def dicts(self, suffix="", **params):
        """The rows as dicts, for a ``values`` queryset, as ``.values()`` gives them."""
        compiled = self._compiled()
        return [dict(zip(compiled.names, row, strict=True)) for row in compiled.run(params, suffix)]


class CompiledQueries:
    """The :class:`CompiledQuery` of each shape of one query whose SQL differs by shape (a sort, a
    number of ``IN`` values, a limit...): ``make(*shape)`` makes it on first use, then it is kept.

    >>> PAGES = CompiledQueries(lambda sort: CompiledQuery(lambda usage_key: ..., usage_key=str))
    >>> PAGES("votes").rows(usage_key=key)
    """

    def __init__(self, make):
        self.make, self._made = make, {}

    def __call__(self, *shape):
        query = self._made.get(shape)
        if query is None:
            query = self._made[shape] = self.make(*shape)
        return query


class CompiledUnion(_PerConnection):
    """``SELECT * FROM (part) UNION ALL SELECT * FROM (part) ...``: ``values()`` querysets with the same
    columns run as ONE statement.  A part may be ordered and sliced (Django's own ``union()`` refuses
    that on SQLite): it is a derived table.  ``part_of(raw_row, **params)`` says which part a row
    came from (the database does not keep the parts' order); each part's rows go through that part's
    converters.  ``columns``: the names every part reads, in this order (``part_of`` reads raw rows by
    position), checked when compiled."""

    def __init__(self, parts, part_of, columns, **types):
        super().__init__(types)
        self.parts, self.part_of, self.columns = parts, part_of, list(columns)

    def _compile(self, connection):
        compiled = [_Compiled(build(**self.sentinels), self.types, self.sentinels, connection) for build in self.parts]
        if any(part.names != self.columns for part in compiled):
            raise ValueError(f"the parts' columns differ: {[part.names for part in compiled]}")
        sql = " UNION ALL ".join(f"SELECT * FROM ({part.sql}) {connection.ops.quote_name(f'part_{n}')}"  # noqa: S608 (Django's SQL; values are parameters)
                                 for n, part in enumerate(compiled))
        return compiled, sql

    def dicts(self, **params):
        """Each part's rows for ``params``, as lists of dicts."""
        parts, sql = self._compiled()
        connection = parts[0].connection
        raw = [[] for _part in parts]
        for row in _execute(connection, sql, [value for part in parts for value in part.bind(params)]):
            raw[self.part_of(row, **params)].append(row)
        return [[dict(zip(part.names, row, strict=True)) for row in part.convert(rows)]
                for part, rows in zip(parts, raw, strict=True)]
