"""JSON Schemas of the input file kinds, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json
from typing import Any

from planner.inputs.schema import FILE_KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind (`sites`, `providers`, `workloads`, `policy`,
    `scenario`), as pydantic derives it from the strict models."""
    model = FILE_KINDS[kind]
    body = model.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"planner {kind} file",
        **{k: v for k, v in body.items() if k != "title"},
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def all_schemas_text() -> str:
    """Every kind's schema in one JSON object, file name -> schema."""
    body = {file_name(kind): schema_of(kind) for kind in FILE_KINDS}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
