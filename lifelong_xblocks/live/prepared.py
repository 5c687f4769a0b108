"""Queries of a view compiled to SQL once per database connection, then run with new values.

A learner's page runs the same query on every render, only the values compared change (the
block's usage key, the learner's id).  Building and compiling a queryset with a dozen
subqueries costs Django a few milliseconds, many times what the database takes to answer it.
:class:`Prepared` lets Django build and compile it once per connection, with stand-in values,
and then only swaps the values in and runs the SQL; the rows pass through the ORM's own
converters (dates, booleans, JSON), so they read exactly as ``.values()`` gives them.

Nothing is kept but the SQL text and its converters: no data, no cross-request cache.
"""
import weakref

from django.db import connections


class Prepared:
    """``build(*stand_ins)`` -> a ``.values(...)`` queryset whose shape never changes.

    ``stand_ins`` are values that appear nowhere else in the query (e.g. a string with a NUL
    character, a negative id); each call's values take their places among the SQL parameters.
    """

    def __init__(self, build, *stand_ins):
        self.build, self.stand_ins = build, stand_ins
        self._compiled = weakref.WeakKeyDictionary()    # connection -> (compiler, sql, params, slots, names, converters)

    def _compile(self, connection):
        queryset = self.build(*self.stand_ins)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            found = [n for n, stand_in in enumerate(self.stand_ins)
                     if type(param) is type(stand_in) and param == stand_in]
            slots.append(found[0] if found else None)
        missing = set(range(len(self.stand_ins))) - set(slots)
        if missing:     # a stand-in the database backend did not pass as a parameter
            raise ValueError(f"stand-ins {sorted(missing)} are not parameters of {sql}")
        # the column names as ValuesIterable takes them (Django 5.2 keeps the order asked in ``selected``)
        selected = getattr(query, "selected", None)
        names = list(selected) if selected else [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return compiler, sql, tuple(params), tuple(slots), names, converters

    def rows(self, *values, using="default"):
        """The query's rows for ``values`` (in the order of the stand-ins), as dicts."""
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        compiler, sql, params, slots, names, converters = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [param if slot is None else values[slot] for param, slot in zip(params, slots, strict=True)])
            fetched = cursor.fetchall()
        if compiler.has_extra_select:     # ordering columns Django added (as SQLCompiler.execute_sql trims them)
            fetched = [row[:compiler.col_count] for row in fetched]
        if converters:     # as SQLCompiler.results_iter does, with the converters found once
            fetched = compiler.apply_converters(fetched, converters)
        return [dict(zip(names, row, strict=True)) for row in fetched]
