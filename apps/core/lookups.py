"""`path__within="000000001/000000007/"`: rows whose materialised path lies in a subtree.

PostgreSQL answers `LIKE '…07/%'` from the `varchar_pattern_ops` index Django creates
for an indexed CharField. SQLite never uses an index for LIKE (it is case-insensitive
there, and Django adds ESCAPE), so there the prefix becomes the equivalent range
`path >= '…07/' AND path < '…070'`: paths hold only digits and "/", and "0" follows
"/" in byte order, which SQLite's default BINARY collation uses.
"""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class Within(Lookup):
    lookup_name = "within"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        prefix = connection.ops.prep_for_like_query(rhs_params[0]) + "%"
        return f"{lhs} LIKE {rhs}", [*lhs_params, prefix]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        start = rhs_params[0]
        end = start[:-1] + chr(ord(start[-1]) + 1) if start else "\uffff"
        return f"({lhs} >= {rhs} AND {lhs} < {rhs})", [*lhs_params, start, *lhs_params, end]
