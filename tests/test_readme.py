"""The README's input examples are valid input files."""

import re
from pathlib import Path

from pydantic import BaseModel

from planner.inputs.schema import (
    PolicyFile,
    ProvidersFile,
    Scenario,
    SitesFile,
    Sizing,
    WorkloadsFile,
)
from planner.inputs.schema.inventory import Inventory
from planner.inputs.schema_errors import freeze
from planner.inputs.yaml_file import load_yaml

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_yaml_examples_validate() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), re.S)
    models: list[type[BaseModel]] = [
        SitesFile,
        ProvidersFile,
        WorkloadsFile,
        PolicyFile,
        Scenario,
        Inventory,
        Sizing,
    ]
    assert len(blocks) == len(models)
    for block, model in zip(blocks, models, strict=True):
        model.model_validate(freeze(load_yaml(str(README), block)[0]))
