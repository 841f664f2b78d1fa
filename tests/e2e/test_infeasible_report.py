"""An infeasible scenario's diagnosis as an HTML page: `planner plan --format html` writes it
and still exits 3 with the diagnosis on stderr."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InfeasibleError
from planner.optimise.diagnosis import Diagnosis, Shortfall, Unplaced
from planner.pipeline import run_plan
from planner.render.diagnosis_html import class_needs, site_needs, unplaced_groups

SCENARIO = "scenarios/what-if-impossible.yaml"


def _diagnosis() -> InfeasibleError:
    try:
        run_plan(SCENARIO)
    except InfeasibleError as exc:
        return exc
    raise AssertionError("the impossible demo has a plan")


class _Tables(HTMLParser):
    """Rows of every table, cell texts joined."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_plan_writes_the_diagnosis_page_and_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "impossible.html"
    result = CliRunner().invoke(app, ["plan", SCENARIO, "-f", "html", "--out", str(out)])
    assert result.exit_code == 3
    assert f"wrote {out}" in result.stderr
    assert "has no feasible plan" in result.stderr  # the diagnosis is printed as before
    html = out.read_text(encoding="utf-8")
    assert "<title>No feasible plan: what-if-impossible</title>" in html
    tables = _Tables()
    tables.feed(html)
    assert "script" not in tables.tags and "img" not in tables.tags
    # per site: Pi lacks 368 GiB of RAM (usable 2,040 with its rooms lost), msociaux 633.2
    assert (tables.rows[1][:5]) == [
        "pi",
        "ram_gib (capacity)",
        "368",
        "2,040",
        "diffusion_restreinte, sensitive",
    ]
    msociaux = ["msociaux", "ram_gib (capacity)", "633.20", "6,860.80", "personal, sensitive"]
    assert msociaux in [r[:5] for r in tables.rows]
    # per data class: 19 health workloads (14 + 1 + two affinity pairs) have no allowed place
    assert ["health", "19", "none"] in tables.rows
    assert ["health_sensitive", "3", "none"] in tables.rows
    # which rule refuses which workload: each rule once, with the places it refuses
    assert [
        "data class 'health': hds expired on 2027-11-30",
        "aws-eu-central-1, azure-gwc, gcp-europe-west3",
    ] in tables.rows
    assert ["workload needs 24/7 operation; this place is not operated 24/7", "nubo"] in (
        tables.rows
    )
    assert re.search(r"14 workloads of health</span>", html)


def test_views_of_the_diagnosis() -> None:
    exc = _diagnosis()
    diagnosis = exc.diagnosis
    assert isinstance(diagnosis, Diagnosis)
    groups = unplaced_groups(diagnosis, exc.inputs)
    assert sum(len(g.workloads) for g in groups) == 22
    assert groups[0].rules[0].rule == "data class 'health': no hds qualification"
    sites = site_needs(diagnosis)
    assert [(n.site, [s.resource for s in n.shortfalls]) for n in sites] == [
        ("pi", ["ram_gib", "storage_gib", "vcpu"]),
        ("msociaux", ["ram_gib", "vcpu"]),
    ]
    classes = {c.data_class: c for c in class_needs(diagnosis, groups)}
    assert [s.place for s in classes["personal"].shortfalls] == ["msociaux", "msociaux"]
    assert len(classes["health"].unplaced) == 19


def test_a_diagnosis_without_inputs_still_renders() -> None:
    short = Shortfall("alpha", "capacity", "vcpu", 4.0, 10.0, ("x",), ("w1",), "as_is", ("alpha",))
    unplaced = Unplaced("no_eligible_place", ("w2",), {"alpha": "no"}, data_class="x")
    diagnosis = Diagnosis("s", (unplaced,), (short,), (), True)
    [group] = unplaced_groups(diagnosis, None)
    assert group.data_classes == () and group.rules[0].places == ("alpha",)
    needs = {c.data_class: c for c in class_needs(diagnosis, [group])}
    assert needs["(data class not known)"].unplaced == ("w2",)
    assert needs["x"].shortfalls == (short,)
