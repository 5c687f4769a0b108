"""A plain connection to the MariaDB server the settings name (outside Django's own connections)."""


def connect(timeout=5):
    """A ``MySQLdb`` connection to the configured server, no database chosen; raises ``MySQLdb.Error``."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    import MySQLdb  # pylint: disable=import-outside-toplevel

    db = settings.DATABASES["default"]
    return MySQLdb.connect(host=db.get("HOST") or "127.0.0.1", port=int(db.get("PORT") or 3306),
                           user=db.get("USER") or "root", password=db.get("PASSWORD") or "",
                           connect_timeout=timeout, charset="utf8mb4")
