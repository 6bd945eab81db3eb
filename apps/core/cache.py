"""A database cache whose `incr` is atomic across processes.

Django's `DatabaseCache.incr` is the generic get-then-set, so two web processes that count
the same key at once both read 5 and both write 6. Rate limits (`apps.core.ratelimit`) count
in this cache when no Redis is configured (the embedded `scripts/run.sh` setup), so the
read-modify-write here runs in one transaction holding a write lock on the row:
`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the settings open every transaction
with `BEGIN IMMEDIATE`, which takes the database's write lock before the read.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "  # noqa: S608 - quoted names
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
                    connection
                ):
                    expires = converter(expires, expression, connection)
            if row is None or expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta  # noqa: S301 - our own values
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {quote_name('cache_key')} = %s",  # noqa: S608
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)
