"""Report pieces: chart geometry, escaping of hostile names, CSV quoting, sovereignty basis."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.candidates.places import build_places
from planner.controls import printable
from planner.pipeline import load_and_check, run_plan
from planner.plan.context import add_months, class_basis
from planner.plan.document import Plan, plan_of
from planner.render import Format, render
from planner.render.charts import (
    BAR_W,
    Path,
    Rect,
    Text,
    all_charts,
    by_data_class,
    flows,
    spend_by_provider,
    utilisation,
)
from planner.render.csv_format import csv_row
from planner.render.json_format import render_json
from planner.render.markdown import md

REPORT = "tests/fixtures/report/scenario.yaml"
HOSTILE = '<script>alert("x")</script>'


@cache
def report_plan() -> Plan:
    return run_plan(REPORT).plan


def _rect(shapes: list[Any], cls: str, tip_start: str) -> Rect:
    found = [
        s for s in shapes if isinstance(s, Rect) and s.cls == cls and s.tip.startswith(tip_start)
    ]
    assert len(found) == 1, (cls, tip_start, found)
    return found[0]


def test_utilisation_bars_are_to_scale() -> None:
    chart = utilisation(report_plan())
    # Paris vCPU after: 44 used of 32 x 0.9 + 16 (one rack) = 44.8 usable; scale 32 + 16 = 48
    used = _rect(chart.shapes, "c-used-after", "paris vcpu after")
    assert used.w == pytest.approx(44 / 48 * BAR_W)
    assert "44 used of 44.8 usable" in used.tip
    headroom = [
        s for s in chart.shapes if isinstance(s, Rect) and s.cls == "c-headroom" and "vcpu" in s.tip
    ]
    assert headroom[0].w == pytest.approx(3.2 / 48 * BAR_W)  # 10 % of 32 kept free
    expansion = _rect(chart.shapes, "c-expansion", "expansion +16 vcpu")
    assert expansion.x == pytest.approx(170 + 32 / 48 * BAR_W)
    assert not [
        s
        for s in chart.shapes
        if isinstance(s, Rect) and s.cls == "c-expansion" and "before" in s.tip
    ]


def test_class_chart_splits_each_bar_by_spend() -> None:
    chart = by_data_class(report_plan())
    share = report_plan().totals.by_data_class["sensitive"]
    spend = share.cost_in_house_eur_month + share.cost_outsourced_eur_month
    inside = _rect(chart.shapes, "c-in-house", "sensitive")
    outside = _rect(chart.shapes, "c-outsourced", "sensitive")
    # the bar's split is the share of spend the label states, not the share of workloads
    assert inside.w == pytest.approx(share.cost_in_house_eur_month / spend * BAR_W)
    assert inside.w + outside.w == pytest.approx(BAR_W)
    assert round(100 * inside.w / BAR_W) == round(share.share_in_house_pct)
    labels = [s.text for s in chart.shapes if isinstance(s, Text) and s.cls == "c-value"]
    assert f"69 % of €{spend:,.2f} in-house (3 in, 1 out)" in labels


def test_flow_bands_one_per_pair_thickness_by_monthly_spend() -> None:
    chart = flows(report_plan())
    bands = {s.tip: s for s in chart.shapes if isinstance(s, Path)}
    # spend after each move (web-1..3 at €30 on pub; finance-c €164 + ci-runner €60 at paris;
    # analytics €244; case-a €208; hr-db €194); new-api arrives, old-batch (€104 before) retires
    assert {tip: band.cls for tip, band in bands.items()} == {
        "lyon → pub: 3 workloads, €90.00 / month": "c-flow-out",
        "lyon → paris: 2 workloads, €224.00 / month": "c-flow-in",
        "snc → paris: 1 workload, €244.00 / month": "c-flow-in",
        "snc → lyon: 1 workload, €208.00 / month": "c-flow-in",
        "pub → paris: 1 workload, €194.00 / month": "c-flow-in",
        "new → pub: 1 workload, €55.00 / month": "c-flow-out",
        "lyon → retired: 1 workload, €104.00 / month": "c-flow-retired",
    }
    total = 90 + 224 + 244 + 208 + 194 + 55 + 104

    def thickness(tip: str) -> float:
        # the band's left end: "M x,y0 C ... L x1,y1+t C ... x0,y0+t Z"
        numbers = [
            float(v)
            for v in bands[tip]
            .d.replace("M", " ")
            .replace("C", " ")
            .replace("L", " ")
            .replace("Z", " ")
            .replace(",", " ")
            .split()
        ]
        return numbers[-1] - numbers[1]

    assert thickness("snc → paris: 1 workload, €244.00 / month") == pytest.approx(
        244 / total * 360, abs=0.11
    )
    assert thickness("lyon → pub: 3 workloads, €90.00 / month") == pytest.approx(
        90 / total * 360, abs=0.11
    )
    labels = {s.text for s in chart.shapes if isinstance(s, Text)}
    assert "new (1, €55.00)" in labels and "retired (1, €104.00)" in labels


def test_no_moves_chart_says_so() -> None:
    data = json.loads(render_json(run_plan("tests/fixtures/tiny/scenario.yaml").plan))
    data["resource_changes"] = [
        rc for rc in data["resource_changes"] if rc["change"]["actions"] == ["no-op"]
    ]
    chart = flows(plan_of(data))
    assert chart.empty == "No workload moves, arrives or leaves in this plan."
    assert chart.shapes == []


def test_spend_by_provider_bars_to_scale() -> None:
    chart = spend_by_provider(report_plan())
    internal_after = _rect(chart.shapes, "c-cost-after", "internal after")
    trusty_before = _rect(chart.shapes, "c-cost-before", "trusty before")
    assert internal_after.w == pytest.approx(BAR_W)  # €1,338.00, the largest
    assert trusty_before.w == pytest.approx(1088 / 1338 * BAR_W)
    values = [s.text for s in chart.shapes if isinstance(s, Text) and s.cls == "c-value"]
    assert "€296.00 (-€792.00)" in values and "€1,338.00 (+€430.00)" in values


def test_every_chart_is_well_formed_svg() -> None:
    html = render(report_plan(), Format.html)
    start = 0
    count = 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        root = ET.fromstring(html[start:end])
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(root) > 1
        count += 1
        start = end
    assert count == len(all_charts(report_plan())) == 4


def _hostile_plan() -> Plan:
    data = json.loads(render_json(report_plan()))
    data["scenario"]["name"] = HOSTILE
    data["scenario"]["description"] = "</style><img src=x onerror=alert(1)>"
    for rc in data["resource_changes"]:
        if rc["name"] == "web-1":
            rc["name"] = HOSTILE + ' | a,"b"\n=cmd'
            rc["address"] = f"{rc['type']}.{rc['name']}"
            rc["reason"] = {"code": "cheapest", "text": "**bold** [link](http://evil) `code`"}
    data["context"]["data_class_of"][HOSTILE + ' | a,"b"\n=cmd'] = "pub<lic>"
    data["context"]["places"][0]["name"] = "<b onmouseover=alert(2)>Paris</b>"
    return plan_of(data)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_every_value() -> None:
    html = render(_hostile_plan(), Format.html)
    parser = _Elements()
    parser.feed(html)
    assert not {"img", "b", "a"} & set(parser.tags)
    assert parser.tags.count("script") == 1  # the report's own, allowed by its hash
    assert not [a for a in parser.attrs if a.startswith("on") or a in ("src", "href")]
    text = "".join(parser.text)
    assert HOSTILE in text and "<b onmouseover=alert(2)>Paris</b>" in text
    assert "&lt;script&gt;" in html


def test_markdown_escapes_tables_and_markup() -> None:
    text = render(_hostile_plan(), Format.md)
    assert "<script>" not in text and "\\<script\\>" in text
    assert "[link](http://evil)" not in text and "\\*\\*bold\\*\\*" in text
    for line in text.splitlines():
        if line.startswith("| `-/+` | "):  # every change row keeps its nine columns
            assert line.replace("\\|", "").count("|") == 10, line


def test_csv_round_trips_hostile_names() -> None:
    text = render(_hostile_plan(), Format.csv)
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert {len(r) for r in records} == {14}
    names = [r[1] for r in records[1:]]
    assert HOSTILE + ' | a,"b"\n=cmd' in names


@given(
    st.lists(
        st.one_of(st.text(), st.floats(allow_nan=False), st.integers()), min_size=1, max_size=6
    )
)
def test_csv_row_is_one_parseable_record(cells: list[object]) -> None:
    row = csv_row(cells)
    assert row.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(row, newline="")))
    assert len(parsed) == 1 and len(parsed[0]) == len(cells)
    for got, cell in zip(parsed[0], cells, strict=True):
        expected = printable(cell) if isinstance(cell, str) else str(cell)  # controls escaped
        if isinstance(cell, str) and expected.startswith(("=", "+", "-", "@", "\t")):
            expected = "'" + expected  # never run as a spreadsheet formula
        assert got == expected


@given(st.text())
def test_md_cell_has_no_raw_pipe_or_line_break(value: str) -> None:
    cell = md(value)
    assert "\n" not in cell and "\r" not in cell
    assert cell.replace("\\\\", "").replace("\\|", "").count("|") == 0


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 11, 29), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 29), 36) == date(2029, 11, 29)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_sovereignty_basis_names_clause_and_expiry() -> None:
    inputs, _ = load_and_check(REPORT)
    places = {p.id: p for p in build_places(inputs)}
    day = date(2026, 11, 29)
    basis, expiring = class_basis(
        inputs.policy, "sensitive", places["snc"], day, date(2029, 11, 29)
    )
    assert basis == (
        "secnumcloud SNC-0042, valid until 2027-06-30; FR jurisdiction (EU); "
        "no extra-EU law exposure",
    )
    assert expiring == ("secnumcloud (2027-06-30)",)
    # a horizon ending before the expiry: nothing flagged
    assert class_basis(inputs.policy, "sensitive", places["snc"], day, date(2027, 6, 29))[1] == ()
    assert class_basis(inputs.policy, "sensitive", places["paris"], day, date(2029, 11, 29)) == (
        ("internal State cloud",),
        (),
    )
    assert class_basis(inputs.policy, "restricted", places["pub"], day, date(2029, 11, 29))[0] == (
        "NOT allowed by the current policy",
    )


def test_context_rows_sum_to_placements() -> None:
    plan = report_plan()
    assert plan.context is not None
    rows = plan.context.sovereignty
    assert sum(r.workloads for r in rows) == 12  # 13 workloads, one retired
    placed = sum(
        rc.change.after.cost_eur_month
        for rc in plan.resource_changes
        if rc.type == "planner_placement" and rc.change.after is not None
    )
    assert sum(r.cost_eur_month for r in rows) == pytest.approx(placed)
    snc = [r for r in rows if r.site == "snc"]
    assert [(r.data_class, r.workloads, r.expiring) for r in snc] == [
        ("sensitive", 1, ("secnumcloud (2027-06-30)",))
    ]


def test_unproven_plan_is_never_called_optimal() -> None:
    data = json.loads(render_json(report_plan()))
    data["solver"].update(
        {
            "status": "time_limit",
            "proven_optimal": False,
            "gap_pct": 3.5,
            "bound_eur": 1700.0,
            "message": "time limit reached",
        }
    )
    plan = plan_of(data)
    html = render(plan, Format.html)
    assert "optimal (proven)" not in html and "time_limit, not proven optimal" in html
    assert "This plan is not proven optimal: time limit reached." in html
    text = render(plan, Format.md)
    assert "optimal (proven)" not in text
    assert "**Not proven optimal:** time limit reached; incumbent" in text


def test_chart_margins_hold_the_longest_label() -> None:
    # at the charts' 12 px a character is at least 6 px wide: "outscale-iaas-snc (outscale)"
    # (28 characters) needs more than 168 px left of its bar, where 164 px were given
    plan = run_plan("scenarios/baseline.yaml").plan
    for chart in all_charts(plan):
        for shape in chart.shapes:
            if isinstance(shape, Text):
                extent = 6.0 * len(shape.text)
                if shape.anchor == "end":
                    assert shape.x - extent >= 0, (chart.id, shape.text)
                else:
                    assert shape.x + extent <= chart.width, (chart.id, shape.text)
