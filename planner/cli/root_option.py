"""`--root DIR`: the folder a scenario's catalog paths must stay inside."""

from __future__ import annotations

import os
from typing import Annotated

import typer


def _existing_folder(value: str | None) -> str | None:
    if value is not None and not os.path.isdir(value):
        raise typer.BadParameter(f"{value!r} is not a folder")
    return value


RootOption = Annotated[
    str | None,
    typer.Option(
        "--root",
        metavar="DIR",
        callback=_existing_folder,
        help="Folder the scenario's catalogs must be in (default: the scenario's git repository; "
        "outside one, the working folder if it holds the scenario, else the scenario's "
        "folder).",
    ),
]
