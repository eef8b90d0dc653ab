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
