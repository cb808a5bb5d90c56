"""The `cybernorms` command: thin Typer wrappers over the core, the store and the flow.

One module per command group; importing them registers their commands on `app`.
"""

from __future__ import annotations

from pipeline.cli.common import app
from pipeline.cli import corpus, documents, query, analytics, training, sources, model, schedule  # noqa: E402,F401  (registers commands)

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
