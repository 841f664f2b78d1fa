"""JSON outputs carry control characters as `\\uXXXX` escapes: the same value, never raw."""

from __future__ import annotations

import json
import re
from pathlib import Path

from planner.controls import json_escaped
from planner.errors import InputIssue
from planner.pipeline import run_plan
from planner.render.issues import render_json
from planner.render.json_format import render_json as render_plan_json
from tests.helpers import site, workload, write_scenario

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "tiny\x85\u202e\x9b\x1b[2J\x7f"


def test_json_escaped_keeps_the_value() -> None:
    text = json.dumps({"name": HOSTILE}, ensure_ascii=False)
    assert json_escaped(text) == '{"name": "tiny\\u0085\\u202e\\u009b\\u001b[2J\\u007f"}'
    assert json.loads(json_escaped(text)) == {"name": HOSTILE}


def test_the_json_plan_holds_no_raw_control_character(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")], name=HOSTILE)
    text = render_plan_json(run_plan(path).plan)
    assert RAW.search(text) is None
    assert json.loads(text)["scenario"]["name"] == HOSTILE


def test_the_json_issue_report_holds_no_raw_control_character() -> None:
    text = render_json([InputIssue(f"unknown field '{HOSTILE}'", "s.yaml", 3)], 1)
    assert RAW.search(text) is None
    assert json.loads(text)["issues"][0]["message"] == f"unknown field '{HOSTILE}'"
