"""Database work that only PostgreSQL does (SQLite, the embedded default, goes without)."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def on_postgres(statements: Sequence[str]) -> Callable:
    """A RunPython step running ``statements`` on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def change_triggers(function: str, tables: Sequence[str]) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the two triggers that run ``function`` on every change
    to each table: once per statement at once (the writing transaction sees it), and once
    per row at commit (deferred: a reader that saw the change uncommitted sees it again)."""
    create, drop = [], []
    for table in tables:
        create += [
            f"CREATE TRIGGER {table}_version_now AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            f"CREATE CONSTRAINT TRIGGER {table}_version_commit "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
        drop += [
            f"DROP TRIGGER IF EXISTS {table}_version_commit ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_version_now ON {table}",
        ]
    return create, drop
