"""Hostile and surprising input files: each is read as meant or refused with file and line.

The files are generated here, small, in a temporary folder: YAML 1.1 look-alikes, impossible
dates, numbers beyond any sane range, deep nesting, alias bombs, pipes and devices, files that
are too large, and catalog paths that leave the scenario's repository.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputError, InputIssue
from planner.inputs import load_inputs
from planner.inputs.files import MAX_NESTING, nesting_exceeds, read_input_text
from planner.inputs.source import excerpt
from planner.inputs.yaml_file import MAX_ALIAS_VALUES, load_yaml
from planner.plan.document import load_plan
from planner.plan.facts import Stated
from planner.render.json_format import render_json
from planner.render.wording import reason_text
from tests.helpers import site, workload, write_scenario


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block takes longer than `seconds`."""

    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def issues_of(action: Any, *args: Any) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        action(*args)
    return info.value.issues


def yaml_file(tmp_path: Path, text: str, name: str = "doc.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def line_of(path: str, needle: str) -> int:
    lines = Path(path).read_text().splitlines()
    return next(i for i, row in enumerate(lines, start=1) if needle in row)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# --- 3: YAML 1.2 core schema -------------------------------------------------------------


@pytest.mark.parametrize("text", ["1e3", "1E3", "+1e3", "1.0e+3", "1000.", "01000"])
def test_numbers_read_as_a_person_means_them(tmp_path: Path, text: str) -> None:
    data, _ = load_yaml(yaml_file(tmp_path, f"vcpu: {text}\n"))
    assert data == {"vcpu": 1000}


@pytest.mark.parametrize(
    "text", ["NO", "no", "No", "off", "On", "yes", "Y", "n", "1_000", "1:30", "0b11"]
)
def test_yaml_11_lookalikes_stay_text(tmp_path: Path, text: str) -> None:
    data, _ = load_yaml(yaml_file(tmp_path, f"value: {text}\n{text}: key\n"))
    assert data == {"value": text, text: "key"}


def test_only_true_and_false_are_booleans(tmp_path: Path) -> None:
    data, _ = load_yaml(yaml_file(tmp_path, "a: true\nb: False\nc: TRUE\nd: yes\n"))
    assert data == {"a": True, "b": False, "c": True, "d": "yes"}


def test_norway_and_an_id_named_off_load(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(tmp_path / "sites.yaml", "country: FR", "country: NO")
    replace_in(tmp_path / "sites.yaml", "zone: EU", "zone: EEA")
    replace_in(tmp_path / "workloads.yaml", "id: w", "id: off")
    replace_in(tmp_path / "workloads.yaml", "vcpu: 2", "vcpu: 1e3")
    inputs = load_inputs(path)
    assert inputs.sites[0].location.country == "NO"
    assert inputs.workloads[0].id == "off"
    assert inputs.workloads[0].demand.vcpu == 1000.0


def test_boolean_where_text_is_expected_says_what_happened(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(tmp_path / "workloads.yaml", "id: w", "id: w\n  name: true")
    [issue] = issues_of(load_inputs, path)
    assert issue.field == "workloads[0].name"
    assert issue.line == line_of(str(tmp_path / "workloads.yaml"), "name: true")
    assert issue.message == "Input should be a valid string"
    assert issue.hint == "read as the boolean true: put it in quotes to keep it as text"


def test_yes_where_a_boolean_is_expected_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(tmp_path / "sites.yaml", "operation_24_7: true", "operation_24_7: yes")
    [issue] = issues_of(load_inputs, path)
    assert issue.field == "sites[0].operation_24_7"
    assert issue.hint == "use true or false (yes, no, on and off are text)"


def test_quoted_number_hint_only_when_it_is_a_number(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(tmp_path / "workloads.yaml", "vcpu: 2", "vcpu: '1e3'")
    replace_in(tmp_path / "workloads.yaml", "ram_gib: 8", "ram_gib: 1_000")
    hints = {i.field: i.hint for i in issues_of(load_inputs, path)}
    assert hints == {
        "workloads[0].demand.vcpu": "write the number without quotes",
        "workloads[0].demand.ram_gib": "write a plain number such as 1500, 1500.5 or 1.5e3 "
        "(no separators or units)",
    }


# --- 7: impossible dates ------------------------------------------------------------------


def test_impossible_dates_are_input_errors_with_line_and_field(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[
            site(
                "alpha",
                qualifications=[
                    {"name": "hds", "valid_until": "VALID1"},
                    {"name": "dr", "valid_until": "VALID2"},
                ],
            )
        ],
        workloads=[workload("w")],
    )
    replace_in(tmp_path / "sites.yaml", "VALID1", "2027-31-12")
    replace_in(tmp_path / "sites.yaml", "VALID2", "2027-02-30")
    sites = str(tmp_path / "sites.yaml")
    issues = issues_of(load_inputs, path)
    assert [(i.file, i.line, i.field, i.message) for i in issues] == [
        (
            sites,
            line_of(sites, "2027-31-12"),
            "sites[0].qualifications[0].valid_until",
            "'2027-31-12' is not a date: month must be in 1..12",
        ),
        (
            sites,
            line_of(sites, "2027-02-30"),
            "sites[0].qualifications[1].valid_until",
            "'2027-02-30' is not a date: day is out of range for month",
        ),
    ]
    assert issues[0].hint == "write a date as YYYY-MM-DD, a day that exists"


def test_a_reference_date_whose_horizon_passes_year_9999_is_refused(tmp_path: Path) -> None:
    """Year 9999 plus a 36-month horizon has no calendar date: refused at load, not a crash."""
    from planner.pipeline import run_plan

    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(
        tmp_path / "scenario.yaml", "reference_date: 2026-11-29", "reference_date: 9999-11-29"
    )
    [issue] = issues_of(run_plan, path)
    assert (issue.file, issue.line, issue.field) == (
        path,
        line_of(path, "reference_date"),
        "reference_date",
    )
    assert issue.message == "Input should be less than or equal to 9899-12-31"
    replace_in(tmp_path / "scenario.yaml", "9999-11-29", "9899-12-31")
    assert run_plan(path).plan.resource_changes


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ("a: é\nb: 1\nc: x\x07y\n", 3, 5, 0x07),  # after a two-byte character
        ("a: 1\n\x1b[2J: 2\n", 2, 1, 0x1B),
        ("a\x00:\x00 \x001\x00\n\x00", 1, 2, 0x00),  # UTF-16 read as UTF-8
    ],
)
def test_a_character_yaml_refuses_is_located(
    tmp_path: Path, text: str, line: int, column: int, code: int
) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(text.encode("utf-8"))
    [issue] = issues_of(load_yaml, str(path))
    assert (issue.file, issue.line, issue.column) == (str(path), line, column)
    assert issue.message == f"character U+{code:04X} is not allowed in YAML"
    assert ("UTF-16" in (issue.hint or "")) == (code == 0)


def test_utf16_and_cp1252_yaml_are_refused_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    [issue] = issues_of(load_yaml, str(path))
    assert (issue.line, issue.message) == (1, "not UTF-8 text: byte 0xff cannot be decoded")
    path.write_bytes("a: 1\nname: caf\u00e9\n".encode("cp1252"))
    [issue] = issues_of(load_yaml, str(path))
    assert (issue.line, issue.message) == (2, "not UTF-8 text: byte 0xe9 cannot be decoded")


# --- 8: numbers finite and in range -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".inf", "Input should be a finite number"),
        ("-.inf", "Input should be a finite number"),
        (".nan", "Input should be a finite number"),
        ("1e309", "Input should be a finite number"),
        ("1e13", "Input should be less than or equal to 1000000000000"),
        ("18446744073709551616", "Input should be less than or equal to 1000000000000"),
        ("1" + "0" * 400, "Input should be a valid number"),
    ],
)
def test_numbers_beyond_range_are_refused_in_yaml(tmp_path: Path, text: str, message: str) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(tmp_path / "sites.yaml", "vcpu: 10\n", f"vcpu: {text}\n")
    [issue] = issues_of(load_inputs, path)
    assert issue.field == "sites[0].unit_costs_eur_month.vcpu"
    assert issue.message == message
    assert issue.line == line_of(str(tmp_path / "sites.yaml"), f"vcpu: {text[:20]}")


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("horizon_months", 9223372036854775808, 1200),
        ("horizon_months", 1201, 1200),
        ("internal_preference_pct", float("inf"), None),
    ],
)
def test_scenario_numbers_in_range(
    tmp_path: Path, field: str, value: float, limit: int | None
) -> None:
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("w")], objective={field: 1}
    )
    replace_in(
        tmp_path / "scenario.yaml",
        f"{field}: 1\n",
        f"{field}: {'.inf' if value == math.inf else value}\n",
    )
    [issue] = issues_of(load_inputs, path)
    assert issue.field == f"objective.{field}"
    assert issue.message == (
        f"Input should be less than or equal to {limit}"
        if limit
        else "Input should be a finite number"
    )


@pytest.mark.parametrize("cell", ["inf", "nan", "-inf", "1e309", "1e13"])
def test_numbers_beyond_range_are_refused_in_csv_cells(tmp_path: Path, cell: str) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[])
    (tmp_path / "inventory.csv").write_text(
        "id,data_class,vcpu,ram_gib,storage_gib,needs_24_7\nok,public,2,8,10,false\n"
        "bad,public,2," + cell + ",10,false\n"
    )
    replace_in(tmp_path / "scenario.yaml", "- workloads.yaml", "- inventory.csv")
    [issue] = issues_of(load_inputs, path)
    assert (issue.file, issue.line, issue.column, issue.field) == (
        str(tmp_path / "inventory.csv"),
        3,
        4,
        "workloads[1].demand.ram_gib",
    )
    assert issue.message in (
        "Input should be a finite number",
        "Input should be less than or equal to 1000000000000",
    )


def test_plan_json_never_holds_infinity_or_nan(tmp_path: Path) -> None:
    from planner.pipeline import run_plan

    plan = run_plan(write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])).plan
    totals = plan.totals.model_copy(update={"monthly_difference_pct": math.nan})
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        render_json(plan.model_copy(update={"totals": totals}))
    text = render_json(plan)
    for bad in ("NaN", "Infinity", "1e400"):
        broken = tmp_path / f"{bad}.json"
        broken.write_text(
            text.replace('"one_off_migration_eur": 0.0', f'"one_off_migration_eur": {bad}')
        )
        [issue] = issues_of(load_plan, str(broken))
        assert issue.message == f"not a planner plan: {bad} is not a finite number"
        line = line_of(str(broken), f": {bad}")
        column = broken.read_text().splitlines()[line - 1].index(f": {bad}") + 3
        assert (issue.line, issue.column) == (line, column)


# --- 10: nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 490, 999])
def test_deep_yaml_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    flow = yaml_file(tmp_path, "sites: " + "[" * depth + "]" * depth + "\n")
    [issue] = issues_of(load_yaml, flow)
    assert issue.message == "lists and mappings nested more than 64 levels deep"
    assert (issue.line, issue.column) == (1, 7 + MAX_NESTING)  # the 65th level, with `sites`
    keys = "".join("  " * i + f"k{i}:\n" for i in range(depth))
    block = yaml_file(tmp_path, keys + "  " * depth + "x\n", "block.yaml")
    [issue] = issues_of(load_yaml, block)
    assert issue.message == "lists and mappings nested more than 64 levels deep"
    assert issue.line == MAX_NESTING + 1


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    data, _ = load_yaml(yaml_file(tmp_path, "[" * MAX_NESTING + "]" * MAX_NESTING + "\n"))
    assert not nesting_exceeds(data) and nesting_exceeds([data])


@pytest.mark.parametrize("depth", [MAX_NESTING, 490, 999, 100_000])
def test_deep_plan_json_is_refused(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "plan.json"
    path.write_text(
        '{"format_version": "1.0", "s": "[[{",\n "x": ' + "[" * depth + "]" * depth + "}"
    )
    [issue] = issues_of(load_plan, str(path))
    assert issue.message == "lists and objects nested more than 64 levels deep"
    assert (issue.line, issue.column) == (2, 7 + MAX_NESTING - 1)  # the 64th `[` of line 2


# --- 11: aliases, pipes, devices, size ----------------------------------------------------


def alias_bomb() -> str:
    """Nine levels of nine aliases: 342 bytes that expand to 9^9 strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    text = alias_bomb()
    assert len(text) == 342
    path = yaml_file(tmp_path, text)
    start = time.perf_counter()
    with deadline(20):
        [issue] = issues_of(load_yaml, path)
    assert time.perf_counter() - start < 5
    assert issue.message == f"aliases repeat more than {MAX_ALIAS_VALUES:,} values"
    assert (issue.line, issue.field) == (6, "f")  # 9^6 values under `f` pass the bound


def test_reasonable_aliases_are_expanded(tmp_path: Path) -> None:
    data, smap = load_yaml(yaml_file(tmp_path, "base: &b {vcpu: 2}\ncopy: *b\n"))
    assert data == {"base": {"vcpu": 2}, "copy": {"vcpu": 2}}
    assert smap.find(("copy", "vcpu")).line == 1  # where the repeated value is written


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    [issue] = issues_of(load_yaml, yaml_file(tmp_path, "a: &a [1, *a]\n"))
    assert issue.message == "an alias refers to a value that contains it"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "sites.yaml"
    os.mkfifo(fifo)
    with deadline(10):
        [issue] = issues_of(load_yaml, str(fifo))
    assert issue.message == "a named pipe, not a regular file"
    assert issue.hint == "only regular files are read"


@pytest.mark.parametrize(
    ("device", "kind"),
    [("/dev/zero", "a character device"), ("/dev/urandom", "a character device")],
)
def test_devices_are_not_read(device: str, kind: str) -> None:
    with deadline(10):
        [issue] = issues_of(read_input_text, device)
    assert issue.message == f"{kind}, not a regular file"


def test_directory_is_not_read(tmp_path: Path) -> None:
    [issue] = issues_of(load_yaml, str(tmp_path))
    assert issue.message == "a directory, not a regular file"


def test_file_over_the_size_limit_is_refused_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = yaml_file(tmp_path, "sites: []\n" + "# padding\n" * 200)  # 2,010 bytes
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "0.002")
    [issue] = issues_of(load_yaml, path)
    assert issue.message == "file too large: 0.0 MB, over the limit of 0.002 MB"
    assert issue.hint == "set PLANNER_MAX_FILE_MB to a larger number of megabytes"
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "0.0021")
    assert load_yaml(path)[0] == {"sites": []}
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "lots")
    [issue] = issues_of(load_yaml, path)
    assert issue.message == "PLANNER_MAX_FILE_MB='lots' is not a positive number of megabytes"


def test_every_reader_uses_the_same_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSV inventories and plan JSON are refused as YAML is: pipes, and files too large."""
    for name, reader in (("inventory.csv", _read_csv), ("plan.json", load_plan)):
        os.mkfifo(tmp_path / name)
        with deadline(10):
            [issue] = issues_of(reader, str(tmp_path / name))
        assert issue.message == "a named pipe, not a regular file"
    big = tmp_path / "big.csv"
    big.write_text("id,data_class\n" + "w,public\n" * 300)
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "0.001")
    [issue] = issues_of(_read_csv, str(big))
    assert issue.message.startswith("file too large")


def _read_csv(path: str) -> Any:
    from planner.inputs.csv_file import load_workloads_csv

    return load_workloads_csv(path)


# --- 15: catalog paths stay inside the repository -----------------------------------------


@pytest.mark.parametrize("catalog", ["/etc/passwd", "../../x.yaml", "../outside.yaml"])
def test_catalog_outside_the_root_is_refused_unread(tmp_path: Path, catalog: str) -> None:
    (tmp_path / "outside.yaml").write_text("secret: do-not-print\n")
    folder = tmp_path / "scenario"
    path = write_scenario(folder, sites=[site("alpha")], workloads=[workload("w")])
    replace_in(folder / "scenario.yaml", "policy: policy.yaml", f"policy: {catalog}")
    [issue] = issues_of(load_inputs, path)
    assert issue.message == f"policy catalog '{catalog}' is outside {folder}"
    assert (issue.file, issue.field) == (path, "catalogs.policy")
    assert issue.line == line_of(path, "policy:")
    assert "--root DIR" in (issue.hint or "")
    assert "do-not-print" not in str(issue) and "root:" not in str(issue)


def test_symlink_leaving_the_root_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "scenario"
    path = write_scenario(folder, sites=[site("alpha")], workloads=[workload("w")])
    (folder / "policy.yaml").unlink()
    (folder / "policy.yaml").symlink_to("/etc/passwd")
    [issue] = issues_of(load_inputs, path)
    assert issue.message == f"policy catalog 'policy.yaml' is outside {folder}"


def test_catalog_that_is_a_fifo_is_refused_at_the_scenario_line(tmp_path: Path) -> None:
    folder = tmp_path / "scenario"
    path = write_scenario(folder, sites=[site("alpha")], workloads=[workload("w")])
    (folder / "sites.yaml").unlink()
    os.mkfifo(folder / "sites.yaml")
    with deadline(10):
        [issue] = issues_of(load_inputs, path)
    assert issue.message == "sites catalog 'sites.yaml' is a named pipe, not a regular file"
    assert (issue.file, issue.line, issue.field) == (
        path,
        line_of(path, "- sites.yaml"),
        "catalogs.sites.0",
    )
    assert issue.hint == "only regular files are read"


def test_repository_root_and_root_option_allow_shared_catalogs(tmp_path: Path) -> None:
    catalogs = tmp_path / "catalogs"
    write_scenario(catalogs, sites=[site("alpha")], workloads=[workload("w")])
    scenario = tmp_path / "scenarios" / "s.yaml"
    scenario.parent.mkdir()
    text = (catalogs / "scenario.yaml").read_text()
    for name in ("sites", "providers", "workloads", "policy"):
        text = text.replace(f"{name}.yaml", f"../catalogs/{name}.yaml")
    scenario.write_text(text)
    assert len(issues_of(load_inputs, str(scenario))) == 4  # no repository: its folder only
    assert load_inputs(str(scenario), root=str(tmp_path)).workloads[0].id == "w"
    (tmp_path / ".git").mkdir()
    assert load_inputs(str(scenario)).workloads[0].id == "w"


def test_outside_a_repository_the_working_folder_holding_the_scenario_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project unpacked from an archive (no `.git`) plans from its own folder."""
    catalogs = tmp_path / "catalogs"
    write_scenario(catalogs, sites=[site("alpha")], workloads=[workload("w")])
    scenario = tmp_path / "scenarios" / "s.yaml"
    scenario.parent.mkdir()
    text = (catalogs / "scenario.yaml").read_text()
    for name in ("sites", "providers", "workloads", "policy"):
        text = text.replace(f"{name}.yaml", f"../catalogs/{name}.yaml")
    scenario.write_text(text)
    monkeypatch.chdir(tmp_path)
    assert load_inputs("scenarios/s.yaml").workloads[0].id == "w"
    monkeypatch.chdir(scenario.parent)  # the working folder is inside: the scenario's folder
    assert len(issues_of(load_inputs, "s.yaml")) == 4


def test_a_non_catalog_file_is_echoed_only_in_short_escaped_excerpts(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    secret = "token-" + "s" * 200
    (tmp_path / "notes.yaml").write_text(f'"{secret}\\e[2J": 1\n"{secret}\\e]0;x": 2\n')
    replace_in(tmp_path / "scenario.yaml", "policy: policy.yaml", "policy: notes.yaml")
    issues = issues_of(load_inputs, path)
    assert len(issues) == 3  # two unknown fields, and the missing `policy`
    for issue in issues:
        assert secret not in str(issue) and "\x1b" not in str(issue)
    assert sorted(i.message for i in issues) == [
        "missing required field 'policy'",
        *[f"unknown field '{secret[:60]}…'"] * 2,
    ]


def test_excerpt_escapes_control_characters_and_cuts() -> None:
    assert excerpt("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert excerpt("é" * 70) == "é" * 60 + "…"
    assert excerpt("\u202e\U000e0001") == "\\u202e\\U000e0001"


def test_catalogs_named_on_the_command_line_may_be_anywhere(tmp_path: Path) -> None:
    from planner.checks.validate import validate_paths

    write_scenario(tmp_path / "a", sites=[site("alpha")], workloads=[workload("w")])
    (tmp_path / "a" / "scenario.yaml").unlink()
    files = [str(tmp_path / "a" / f"{n}.yaml") for n in ("sites", "workloads", "policy")]
    report = validate_paths(files, reference_date=None)
    assert report.errors == 0 and report.summaries


def test_json_plan_helpers_round_trip(tmp_path: Path) -> None:
    """A plan the planner wrote is read back unchanged through the same checks."""
    from planner.pipeline import run_plan

    plan = run_plan(write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])).plan
    (tmp_path / "plan.json").write_text(render_json(plan))
    loaded = load_plan(str(tmp_path / "plan.json"))
    # the reasons come back as stated (code and sentence), everything else as it was
    assert [rc.reason for rc in loaded.resource_changes] == [
        None if rc.reason is None else Stated(code=rc.reason.code, text=reason_text(rc.reason))
        for rc in plan.resource_changes
    ]
    unreasoned = [rc.model_copy(update={"reason": None}) for rc in plan.resource_changes]
    assert [rc.model_copy(update={"reason": None}) for rc in loaded.resource_changes] == unreasoned
    assert render_json(load_plan(str(tmp_path / "plan.json"))) == render_json(plan)
    import json

    from planner.plan.terraform import terraform_parts

    written = json.loads(render_json(plan))
    for key, value in terraform_parts(plan.model_dump(mode="json")).items():
        if key != "resource_changes":  # where the reasons are worded
            assert written[key] == value, key


def test_a_catalog_path_with_a_nul_character_is_an_input_error(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    text = Path(path).read_text().replace("- sites.yaml", '- "si\\0tes.yaml"')
    Path(path).write_text(text)
    [issue] = issues_of(load_inputs, path)
    assert issue.message == "sites catalog path 'si\\x00tes.yaml' holds a NUL character"
    assert (issue.file, issue.field) == (path, "catalogs.sites.0")
    assert issue.line is not None
