"""`cybernorms model pin DIR`: vouch for a model folder by writing its SHA-256 manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.common import _fail, app, console
from pipeline.errors import CybernormsError

model_app = typer.Typer(help="Trained model folders: pin their files so the loader accepts them.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command()
def pin(directory: Annotated[Path, typer.Argument(help="A model folder (model.skops, config.json, …).")]) -> None:
    """Write DIR/manifest.json with the SHA-256 of its model files (after checking its types).

    Only pin a folder you trust: the loader then accepts exactly these files."""
    from pipeline.classify.integrity import pin as pin_folder

    try:
        manifest = pin_folder(directory)
    except CybernormsError as exc:
        _fail(exc)
    console.print(f"pinned {directory}: {manifest}")
