"""The fuzzer's checks catch what they claim to, and its mutations change what they claim to."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.mutations import csv_mutation, known_ids, mutated_files, rename_mutation
from tests.fuzz.oracle import Outcome, plan_problems, readme_exit_codes, validate_problems
from tests.fuzz.seed import CATALOG_FILES, PLAN_WORKLOADS, plan_seed, validate_seed

GOOD_ERROR = "{file}:3:5: error: sites[0].capacity: unknown field 'capacty'\n1 error\n"


def outcome(code: int, stdout: str = "", stderr: str = "", command: str = "validate") -> Outcome:
    return Outcome([command, "s.yaml"], code, stdout, stderr, None)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text("sites:\n  - id: a\n    capacty: {}\n", encoding="utf-8")
    return path


def test_the_readme_table_gives_the_exit_codes() -> None:
    assert readme_exit_codes() == {0, 1, 2, 3, 4, 5, 130}


def test_a_located_error_with_exit_1_passes(catalog: Path) -> None:
    assert validate_problems(outcome(1, GOOD_ERROR.format(file=catalog)), catalog.parent) == []


@pytest.mark.parametrize(
    "stdout, stderr, code, expected",
    [
        (
            "",
            "internal error: KeyError: 'x' (run with --debug for the traceback)\n",
            1,
            "internal error: KeyError",
        ),
        ("", "Traceback (most recent call last):\n  File x\n", 1, "a traceback was printed"),
        ("", "error: no such thing\n", 1, "error without file and line: error: no such thing"),
        ("<input>:3: error: bad\n", "", 1, "error without a file"),
        ("{file}:99: error: bad\n", "", 1, "line 99 is not in a file of 3 lines"),
        ("{file}:3: warning: odd\n", "", 1, "exit 1 without any `file:line: error:` line"),
        ("{file}:3: error: id '\x1b[2J' unknown\n", "", 1, "raw control character '\\x1b'"),
        ("", "", 7, "exit 7 is not in the README's table"),
        ("", "", 3, "exit 3 (expected one of [0, 1])"),
    ],
)
def test_each_bad_outcome_is_named(
    catalog: Path, stdout: str, stderr: str, code: int, expected: str
) -> None:
    found = validate_problems(outcome(code, stdout.format(file=catalog), stderr), catalog.parent)
    assert any(expected in problem for problem in found), found


def test_an_uncaught_exception_is_named(catalog: Path) -> None:
    bad = Outcome(["validate"], 1, "", "", "Traceback ...\nKeyError: 'pi'")
    assert any(p.startswith("uncaught exception") for p in validate_problems(bad, catalog))


@pytest.mark.parametrize(
    "stdout, expected",
    [
        ('{"format_version": "1.0", "resource_changes": [], "cost": NaN}', "NaN in JSON output"),
        ('{"format_version": "1.0", "resource_changes": [], "cost": Infinity}', "Infinity"),
        ('{"format_version": "1.0", "resource_changes": [], "cost": 1e999}', "overflows"),
        ('{"format_version": "1.0", "resource_changes": [', "not strict JSON"),
        ('{"totals": {}}', "stdout is not a JSON plan"),
    ],
)
def test_a_plan_must_be_strict_json(stdout: str, expected: str) -> None:
    found = plan_problems(outcome(0, stdout, command="plan"), Path.cwd())
    assert any(expected in problem for problem in found), found


def test_a_refusal_prints_no_plan(catalog: Path) -> None:
    refused = outcome(1, '{"format_version"', GOOD_ERROR.format(file=catalog), command="plan")
    assert any("printed on stdout" in p for p in plan_problems(refused, catalog.parent))
    infeasible = outcome(3, "", "error: scenario 's' has no feasible plan\n", command="plan")
    assert plan_problems(infeasible, catalog.parent) == []


def test_the_plan_seed_keeps_one_workload_of_each_feature() -> None:
    workloads = yaml.safe_load(plan_seed()["catalogs/workloads.yaml"])["workloads"]
    assert tuple(w["id"] for w in workloads) == PLAN_WORKLOADS
    kinds = {key for w in workloads for key in w}
    assert {
        "pin",
        "anti_affinity_group",
        "affinity_group",
        "retire",
        "site_overrides",
        "exclude",
    } <= kinds
    rows = list(csv.reader(io.StringIO(plan_seed()["catalogs/inventory.csv"].decode())))
    assert len(rows) == 13 and len(validate_seed()["catalogs/inventory.csv"].splitlines()) == 21


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_mutations_change_the_files_they_name(data: st.DataObject) -> None:
    seed = validate_seed()
    files, notes = data.draw(mutated_files(seed, CATALOG_FILES, max_mutations=1))
    assert len(notes) == 1
    changed = {name for name in files if files[name] != seed[name]}
    named = notes[0].split(":", 1)[0]
    if named in seed:  # one file mutated (an id rename may touch several)
        assert changed <= {named}


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_mutations_stack_without_failing_themselves(data: st.DataObject) -> None:
    """Eight mutations in a row (each on what the previous left, however broken) still give
    files of bytes: a failure of the fuzz tests is never the mutator's."""
    seed = plan_seed()
    targets = (*CATALOG_FILES, "scenarios/baseline.yaml")
    files, notes = data.draw(mutated_files(seed, targets, max_mutations=8))
    assert set(files) == set(seed) and all(isinstance(v, bytes) for v in files.values())
    assert 1 <= len(notes) <= 8


def scripted(*choices: object) -> Callable[[st.SearchStrategy[object]], object]:
    """A `draw` that returns the given choices in turn (to replay one mutation by hand)."""
    answers = iter(choices)
    return lambda _strategy: next(answers)


def test_dropping_a_csv_column_drops_it_from_every_row() -> None:
    text = validate_seed()["catalogs/inventory.csv"].decode()
    new, note = csv_mutation(scripted(5, 0, "drop_column", ";"), text)
    assert note == "dropped column 'vcpu', written with ';' separators"
    rows = list(csv.reader(io.StringIO(new.decode()), delimiter=";"))
    assert "vcpu" not in rows[0] and len(rows) == 21
    assert {len(row) for row in rows} == {23}  # the 24 columns less one


def test_a_rename_everywhere_leaves_no_trace_of_the_old_id() -> None:
    seed = plan_seed()
    assert "pi" in known_ids(seed) and "health_sensitive" in known_ids(seed)
    files, note = rename_mutation(scripted("pi", True, "pix"), seed)
    assert note == "'pi' renamed 'pix' everywhere"
    text = b"".join(files.values()).decode()
    assert "current_site: pix" in text and "current_site: pi\n" not in text
