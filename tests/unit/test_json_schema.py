"""`planner schema`: exported schemas accept the catalogs the planner accepts, reject the rest."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.inputs.json_schema import file_name, schema_of, schema_text
from planner.inputs.schema import FILE_KINDS

ROOT = Path(__file__).resolve().parent.parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"


def _as_json(value: Any) -> Any:
    """YAML as an editor sees it: dates are strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _load(name: str) -> Any:
    return _as_json(yaml.safe_load((TINY / name).read_text()))


@pytest.mark.parametrize(
    "kind, name",
    [
        ("sites", "sites.yaml"),
        ("providers", "providers.yaml"),
        ("workloads", "workloads.yaml"),
        ("policy", "policy.yaml"),
        ("scenario", "scenario.yaml"),
    ],
)
def test_fixture_files_conform(kind: str, name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema_of(kind))
    jsonschema.validate(_load(name), schema_of(kind), cls=jsonschema.Draft202012Validator)


def test_typo_and_negative_value_rejected() -> None:
    sites = _load("sites.yaml")
    sites["sites"][0]["headroom_pc"] = 10
    with pytest.raises(jsonschema.ValidationError, match="headroom_pc"):
        jsonschema.validate(sites, schema_of("sites"), cls=jsonschema.Draft202012Validator)
    sites = _load("sites.yaml")
    sites["sites"][0]["capacity"]["vcpu"] = -1
    with pytest.raises(jsonschema.ValidationError, match="minimum"):
        jsonschema.validate(sites, schema_of("sites"), cls=jsonschema.Draft202012Validator)


def test_committed_schemas_are_up_to_date() -> None:
    for kind in FILE_KINDS:
        committed = (ROOT / "schemas" / file_name(kind)).read_text()
        assert committed == schema_text(kind), f"run: planner schema --out schemas/ ({kind})"


def test_cli_writes_every_kind(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(file_name(k) for k in FILE_KINDS)
    one = runner.invoke(app, ["schema", "workloads"])
    assert json.loads(one.stdout)["title"] == "planner workloads file"
    every = runner.invoke(app, ["schema"])  # no KIND: every kind, one JSON object
    assert every.exit_code == 0 and sorted(json.loads(every.stdout)) == written


SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
DEMO = sorted([*(ROOT / "catalogs").glob("*.yaml"), *(ROOT / "scenarios").glob("*.yaml")])


@pytest.mark.parametrize("path", DEMO, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_demo_files_name_their_schema_and_conform(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    found = SCHEMA_LINE.match(first)
    assert found, f"{path.name}: first line should be '# yaml-language-server: $schema=...'"
    schema_path = (path.parent / found.group(1)).resolve()
    data = _as_json(yaml.safe_load(path.read_text()))
    kind = "scenario" if "catalogs" in data else next(iter(data))
    assert schema_path == ROOT / "schemas" / file_name(kind)
    jsonschema.validate(
        data, json.loads(schema_path.read_text()), cls=jsonschema.Draft202012Validator
    )
