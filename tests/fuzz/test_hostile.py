"""Hostile files and targets (issue "Trust"), each generated here: refused with file and line
(exit 1), or handled as documented, never a hang, a traceback or memory without bound.

Files that could hang or exhaust memory run `planner` as a subprocess with a timeout and a
2 GiB address-space cap; the others run in-process.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.oracle import (
    LOCATED,
    Outcome,
    common_problems,
    plan_problems,
    run,
    strict_json,
    validate_problems,
)

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
ROOT = TINY.parent.parent.parent
TIMEOUT_S = 20
MEMORY_CAP_BYTES = 2 * 1024**3
CSV_HEADER = (ROOT / "catalogs" / "inventory.csv").read_text(encoding="utf-8").splitlines()[0]
# the demo's columns, the utilisation ones (the last seven) left empty: no use observed
CSV_ROW = "c1,Inventory one,Owner,public,false,2,8,10,0,alpha,false,,,,,,500" + "," * 7


# ------------------------------------------------------------------------------- the scene


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the tiny scenario plus a one-row CSV inventory."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("sites.yaml", "providers.yaml", "workloads.yaml", "policy.yaml"):
        shutil.copy(TINY / name, root / name)
    (root / "inventory.csv").write_text(f"{CSV_HEADER}\n{CSV_ROW}\n", encoding="utf-8")
    scenario = (TINY / "scenario.yaml").read_text(encoding="utf-8")
    scenario = scenario.replace("[workloads.yaml]", "[workloads.yaml, inventory.csv]")
    (root / "scenario.yaml").write_text(
        scenario + "objective: {horizon_months: 36}\n", encoding="utf-8"
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in the file; returns the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def errors_at(outcome: Outcome) -> set[tuple[str, int]]:
    """(file name, line) of every located error the run reported."""
    found = set()
    for text in (outcome.stdout + outcome.stderr).splitlines():
        match = LOCATED.match(text)
        if match and match.group("severity") == "error":
            found.add((Path(match.group("file")).name, int(match.group("line"))))
    return found


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))


def run_capped(args: list[str], cwd: Path) -> Outcome:
    """`planner ARGS` in a subprocess: at most TIMEOUT_S seconds and 2 GiB of address space."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "dumb",
        "OPENBLAS_NUM_THREADS": "1",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "planner", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=TIMEOUT_S,
            preexec_fn=_cap_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"planner {' '.join(args)} still running after {TIMEOUT_S} s")
    stdout = done.stdout.decode("utf-8", errors="replace")
    stderr = done.stderr.decode("utf-8", errors="replace")
    died = f"killed by signal {-done.returncode}" if done.returncode < 0 else None
    return Outcome(args, done.returncode, stdout, stderr, died)


def assert_refused(
    outcome: Outcome, cwd: Path, at: set[tuple[str, int]] | None = None, in_file: str | None = None
) -> None:
    """Exit 1, clean (no internal error, traceback or raw control character), every error
    located; an error at each (file, line) of `at`, or at least one in `in_file`."""
    check = validate_problems if outcome.args[0] == "validate" else plan_problems
    problems = check(outcome, cwd)
    assert outcome.exit_code == 1, f"exit {outcome.exit_code}\n{outcome.stderr[-2000:]}"
    assert problems == [], "\n".join(problems) + "\n" + outcome.stderr[-2000:]
    located = errors_at(outcome)
    if at is not None:
        assert at <= located, f"expected errors at {sorted(at)}, got {sorted(located)}"
    if in_file is not None:
        assert any(name == in_file for name, _ in located), (
            f"no error located in {in_file}: {sorted(located)}"
        )


def test_the_scene_plans_cleanly(repo: Path) -> None:
    """Unharmed, the scenario of these tests validates and plans: each refusal below is the
    hostile file's doing."""
    assert validate_problems(run(["validate", str(repo / "scenario.yaml")]), repo) == []
    planned = run(["plan", str(repo / "scenario.yaml"), "-f", "json"])
    assert planned.exit_code == 0, planned.stderr
    assert plan_problems(planned, repo) == []
    assert "planner_placement.c1" in {
        rc["address"] for rc in strict_json(planned.stdout)["resource_changes"]
    }


# ------------------------------------------------------------------- memory and blocking


def alias_bomb() -> str:
    """Nine levels of nine aliases: 9**9 (387 million) strings once expanded."""
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("sites: *i")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_yaml_alias_bomb_is_refused_within_bounds(repo: Path, command: str) -> None:
    bomb = alias_bomb()
    assert len(bomb.encode()) < 400
    (repo / "sites.yaml").write_text(bomb, encoding="utf-8")
    outcome = run_capped([command, "scenario.yaml"], repo)
    assert_refused(outcome, repo, in_file="sites.yaml")


def test_fifo_catalog_does_not_block(repo: Path) -> None:
    (repo / "sites.yaml").unlink()
    os.mkfifo(repo / "sites.yaml")
    outcome = run_capped(["validate", "scenario.yaml"], repo)
    assert_refused(outcome, repo)
    assert "sites.yaml" in outcome.stderr + outcome.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("via", ["path", "symlink"])
def test_device_catalog_is_not_read(repo: Path, device: str, via: str) -> None:
    """A device named by the scenario, or behind a catalog's symlink: only regular files are
    read."""
    if via == "path":
        line = edit(repo / "scenario.yaml", "[sites.yaml]", f"[{device}]")
        expected = {("scenario.yaml", line)}
    else:
        (repo / "sites.yaml").unlink()
        (repo / "sites.yaml").symlink_to(device)
        expected = None
    outcome = run_capped(["validate", "scenario.yaml"], repo)
    assert_refused(outcome, repo, at=expected)
    assert (device if via == "path" else "sites.yaml") in outcome.stdout + outcome.stderr


# ---------------------------------------------------------------------------- deep nesting

NESTINGS = {
    "lists 500 deep": "[" * 500 + "]" * 500,
    "lists 999 deep": "[" * 999 + "]" * 999,
    "lists 1000 deep": "[" * 1000 + "]" * 1000,
    "maps 600 deep": "{a: " * 600 + "1" + "}" * 600,
}


@pytest.mark.parametrize(
    "command, nesting",
    [
        *(("validate", n) for n in sorted(NESTINGS)),
        ("plan", "lists 999 deep"),
        ("plan", "maps 600 deep"),
    ],
)
def test_deeply_nested_yaml_is_refused(repo: Path, command: str, nesting: str) -> None:
    (repo / "sites.yaml").write_text(f"sites:\n  - {NESTINGS[nesting]}\n", encoding="utf-8")
    outcome = run_capped([command, "scenario.yaml"], repo)
    assert_refused(outcome, repo, in_file="sites.yaml")


def deep_plan(repo: Path, depth: int) -> Path:
    """A good plan JSON, and the same plan with its resource_changes nested `depth` lists
    deeper."""
    good = run(["plan", str(repo / "scenario.yaml"), "-f", "json", "-o", str(repo / "good.json")])
    assert good.exit_code == 0, good.stderr
    plan = json.loads((repo / "good.json").read_text(encoding="utf-8"))
    changes = json.dumps(plan.pop("resource_changes"))
    text = (
        json.dumps(plan)[:-1] + ', "resource_changes": ' + "[" * depth + changes + "]" * depth + "}"
    )
    path = repo / "deep.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "form, depth",
    [("show", 500), ("show", 1000), ("diff-old", 1000), ("diff-new", 1000), ("baseline", 1000)],
)
def test_deeply_nested_plan_json_is_refused(repo: Path, form: str, depth: int) -> None:
    deep_plan(repo, depth)
    args = {
        "show": ["show", "deep.json"],
        "diff-old": ["diff", "deep.json", "good.json"],
        "diff-new": ["diff", "good.json", "deep.json"],
        "baseline": ["plan", "scenario.yaml", "--baseline", "deep.json"],
    }[form]
    outcome = run_capped(args, repo)
    assert_refused(outcome, repo, in_file="deep.json")


# --------------------------------------------------------------------------- huge numbers

NUMBER_CASES = {
    # case: (file, old text, new text)
    "horizon beyond 64 bits": (
        "scenario.yaml",
        "horizon_months: 36",
        "horizon_months: 9223372036854775808",
    ),
    "capacity 1e309": ("sites.yaml", "capacity: {vcpu: 8,", "capacity: {vcpu: 1e309,"),
    "capacity 1.0e+309": ("sites.yaml", "capacity: {vcpu: 8,", "capacity: {vcpu: 1.0e+309,"),
    "unit cost .inf": (
        "sites.yaml",
        "unit_costs_eur_month: {vcpu: 10,",
        "unit_costs_eur_month: {vcpu: .inf,",
    ),
    "price .nan": ("providers.yaml", "{vcpu: 20, ram_gib: 2,", "{vcpu: .nan, ram_gib: 2,"),
    "demand -.inf": (
        "workloads.yaml",
        "demand: {vcpu: 2, ram_gib: 8}",
        "demand: {vcpu: 2, ram_gib: -.inf}",
    ),
    "csv vcpu 1e309": ("inventory.csv", ",public,false,2,8,", ",public,false,1e309,8,"),
    "csv ram inf": ("inventory.csv", ",public,false,2,8,", ",public,false,2,inf,"),
    "csv storage nan": ("inventory.csv", ",2,8,10,0,", ",2,8,nan,0,"),
}


@pytest.mark.parametrize("command", ["validate", "plan"])
@pytest.mark.parametrize("case", sorted(NUMBER_CASES))
def test_numbers_not_finite_or_out_of_range_are_refused_at_their_line(
    repo: Path, command: str, case: str
) -> None:
    name, old, new = NUMBER_CASES[case]
    line = edit(repo / name, old, new)
    outcome = run([command, str(repo / "scenario.yaml"), *(["-f", "json"] * (command == "plan"))])
    assert_refused(outcome, Path.cwd(), at={(name, line)})


DATE_CASES = {
    "valid_until month 31": (
        "providers.yaml",
        "valid_until: 2027-12-31",
        "valid_until: 2027-31-12",
    ),
    "valid_until 30 February": (
        "providers.yaml",
        "valid_until: 2027-12-31",
        "valid_until: 2027-02-30",
    ),
    "price_date 30 February": (
        "providers.yaml",
        "price_date: 2026-11-01\n  - id: bigco",
        "price_date: 2026-02-30\n  - id: bigco",
    ),
    "reference_date 30 February": (
        "scenario.yaml",
        "reference_date: 2026-11-29",
        "reference_date: 2027-02-30",
    ),
}


@pytest.mark.parametrize("command", ["validate", "plan"])
@pytest.mark.parametrize("case", sorted(DATE_CASES))
def test_impossible_dates_are_refused_at_their_line(repo: Path, command: str, case: str) -> None:
    name, old, new = DATE_CASES[case]
    line = edit(repo / name, old, new)
    outcome = run([command, str(repo / "scenario.yaml")])
    assert_refused(outcome, Path.cwd(), at={(name, line)})


# ---------------------------------------------------------------------------- hostile ids

ESCAPES = ("\x1b", "\x07", "\x9b")
ESCAPE_EDITS = {
    # case: (file, old text, new text, refused at the edited line)
    "workload id and name": (
        "workloads.yaml",
        "- id: w2\n",
        '- id: "w2\\e[2J"\n    name: "\\e]0;x\\a"\n',
        False,
    ),
    "scenario name": ("scenario.yaml", "name: tiny", 'name: "tiny\\e]0;x\\a"', False),
    "unknown field": ("workloads.yaml", "- id: w2\n", '- "\\e[2Jcolour": 1\n    id: w2\n', True),
    "unknown CSV column": (
        "inventory.csv",
        "storage_used_gib\n",
        "storage_used_gib,\x1b]0;x\x07\x9b31m\n",
        True,
    ),
}


def _no_raw_escape(outcome: Outcome) -> None:
    for char in ESCAPES:
        assert char not in outcome.stdout, f"raw {char!r} on stdout of {outcome.args[:3]}"
        assert char not in outcome.stderr, f"raw {char!r} on stderr of {outcome.args[:3]}"


@pytest.mark.parametrize(
    "args", [["validate"], ["plan"], ["plan", "-f", "md"]], ids=["validate", "plan-text", "plan-md"]
)
@pytest.mark.parametrize("case", sorted(ESCAPE_EDITS))
def test_escape_sequences_never_reach_the_terminal(repo: Path, case: str, args: list[str]) -> None:
    """Clear screen, an OSC window title, a C1 CSI: accepted or refused, they are printed
    escaped, in validate's report, plan's stderr, the text plan and the Markdown report."""
    name, old, new, refused = ESCAPE_EDITS[case]
    line = edit(repo / name, old, new)
    outcome = run([args[0], str(repo / "scenario.yaml"), *args[1:]])
    _no_raw_escape(outcome)
    if refused:
        assert_refused(outcome, Path.cwd(), at={(name, line)})
    else:
        assert outcome.exit_code in (0, 1), outcome.stderr
        assert common_problems(outcome, {0, 1}, Path.cwd()) == []  # a text or Markdown plan


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_an_error_on_line_100_keeps_its_location(repo: Path, command: str) -> None:
    """`file:100:5:` is printed as is, not read as the emoji code `:100:`."""
    sites = repo / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    padding = "#\n" * (99 - text[: text.index("    operation_24_7")].count("\n"))
    sites.write_text(padding + text.replace("operation_24_7", "operation_24_7x"), encoding="utf-8")
    assert line_of(sites, "operation_24_7x") == 100
    outcome = run([command, str(repo / "scenario.yaml")])
    assert_refused(outcome, Path.cwd(), at={("sites.yaml", 100)})


# ------------------------------------------------------------------------- files outside

SECRET_LINES = (
    "root:$6$SECRETHASHofROOT:19000:0:99999:7:::",
    "deploy:$6$SECRETHASHofDEPLOY:19000:0:99999:7:::",
)


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_a_catalog_path_outside_the_repository_is_refused_without_echo(
    repo: Path, command: str
) -> None:
    secret = repo.parent / "shadow"
    secret.write_text("\n".join(SECRET_LINES) + "\n", encoding="utf-8")
    secret.chmod(0o600)
    line = edit(repo / "scenario.yaml", "[sites.yaml]", "[../shadow]")
    outcome = run([command, str(repo / "scenario.yaml")])
    assert_refused(outcome, Path.cwd(), at={("scenario.yaml", line)})
    assert "SECRETHASH" not in outcome.stdout + outcome.stderr


# -------------------------------------------------------------------------------- targets


def test_out_dash_is_stdout(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    outcome = run(["plan", "scenario.yaml", "-f", "json", "--out", "-"])
    assert outcome.exit_code == 0, outcome.stderr
    assert plan_problems(outcome, repo) == []
    assert strict_json(outcome.stdout)["format_version"]
    assert not (repo / "-").exists()


def test_out_keeps_a_0600_target_private(repo: Path) -> None:
    target = repo / "plan.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    outcome = run(["plan", str(repo / "scenario.yaml"), "-f", "json", "--out", str(target)])
    assert outcome.exit_code == 0, outcome.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert strict_json(target.read_text(encoding="utf-8"))["format_version"]


def test_out_onto_a_symlink_writes_through_it_or_refuses(repo: Path) -> None:
    real = repo / "real.json"
    real.write_text("old\n", encoding="utf-8")
    link = repo / "link.json"
    link.symlink_to(real.name)
    outcome = run(["plan", str(repo / "scenario.yaml"), "-f", "json", "--out", str(link)])
    assert link.is_symlink() and os.readlink(link) == real.name, "the link was replaced"
    _clean(outcome)
    if outcome.exit_code == 0:
        assert strict_json(real.read_text(encoding="utf-8"))["format_version"]
    else:
        assert outcome.exit_code == 1 and "link.json" in outcome.stderr
        assert real.read_text(encoding="utf-8") == "old\n"


def test_out_through_a_symlink_to_stdout_writes_to_stdout(repo: Path) -> None:
    """`--out` onto a link to /proc/self/fd/1 (what /dev/stdout is): written in place, to the
    process's stdout, the link left alone."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd")
    link = repo / "stdout"
    link.symlink_to("/proc/self/fd/1")
    outcome = run_capped(["plan", "scenario.yaml", "-f", "json", "--out", "stdout"], repo)
    assert link.is_symlink(), "the link was replaced by a file"
    _clean(outcome)
    assert outcome.exit_code == 0, outcome.stderr
    assert strict_json(outcome.stdout)["format_version"]


def test_out_onto_a_character_device_keeps_the_device(repo: Path) -> None:
    """As root, `--out /dev/null` must not replace the device node by a file: tried on a
    null device made for the test, not on the system's."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    null = repo / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("this container may not make device nodes")
    outcome = run(["plan", str(repo / "scenario.yaml"), "-f", "json", "--out", str(null)])
    assert stat.S_ISCHR(null.lstat().st_mode), "the device node was replaced by a file"
    _clean(outcome)
    assert outcome.exit_code == 0, outcome.stderr


def _clean(outcome: Outcome) -> None:
    """No internal error, no traceback, no crash."""
    text = outcome.stdout + outcome.stderr
    assert outcome.uncaught is None, outcome.uncaught
    assert "internal error" not in text and "Traceback" not in text, text[-2000:]
    assert re.search(r"\x1b", text) is None
