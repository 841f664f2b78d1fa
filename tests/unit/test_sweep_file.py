"""The sweep file: schema errors and bad addresses or values at their line, before any run;
addresses and changes applied to the validated inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError
from planner.pipeline import load_and_check
from planner.sweep.address import Setting, apply_settings, check_address, parse_address
from planner.sweep.variants import load_sweep

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "sweep"
BASE = FIXTURE / "base.yaml"


def _errors(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "sweep.yaml"
    path.write_text(f"name: s\nbase: {BASE}\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_sweep(str(path), str(ROOT))
    return [i.format().replace(str(path), "S") for i in exc.value.issues]


def test_unknown_field_and_kind_at_their_line(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: grid\n"
        "    parameters:\n"
        "      - {address: 'sites[alpha].capacity.vcpu', valuez: [1]}\n",
    )
    assert errors == [
        "S:6:9: error: variations[0].parameters[0].values: missing required field 'values'",
        "S:6:49: error: variations[0].parameters[0].valuez: unknown field 'valuez' "
        "(hint: did you mean 'values'?)",
    ]


def test_address_that_matches_no_id(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: grid\n"
        "    parameters:\n"
        "      - address: offers[snx].unit_prices_eur_month.*\n"
        "        op: multiply\n"
        "        values: [1.1]\n",
    )
    assert errors == [
        "S:8:9: error: variations[0].parameters[0].values: "
        "'offers[snx].unit_prices_eur_month.*': no offer id matches 'snx' (did you mean 'snc'?)"
    ]


def test_address_with_a_misspelt_field(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: samples\n"
        "    count: 2\n"
        "    seed: 1\n"
        "    parameters:\n"
        "      - address: sites[alpha].capacity.vcpux\n"
        "        distribution: {uniform: [0.5, 1.5]}\n",
    )
    assert len(errors) == 1
    assert errors[0].startswith("S:8:9: error: variations[0].parameters[0]: ")
    assert errors[0].endswith("no field 'vcpux' (did you mean 'vcpu'?)")


def test_value_its_field_refuses_names_the_variant(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: grid\n"
        "    parameters:\n"
        "      - address: sites[alpha].capacity.vcpu\n"
        "        values: [4, -5]\n",
    )
    assert errors == [
        "S:7:9: error: variations[0].parameters[0].values: 'sites[alpha].capacity.vcpu' set -5 "
        "(sites[alpha].capacity.vcpu set -5): capacity.vcpu: "
        "Input should be greater than or equal to 0"
    ]


def test_multiply_takes_a_number(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: grid\n"
        "    parameters:\n"
        "      - address: offers[snc].unit_prices_eur_month.vcpu\n"
        "        op: multiply\n"
        "        values: [lots]\n",
    )
    assert len(errors) == 1 and errors[0].startswith("S:8:9: ")
    assert "multiply takes a number, not 'lots'" in errors[0]


def test_break_even_watch_must_exist_and_interval_be_ordered(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: break_even\n"
        "    address: offers[snc].unit_prices_eur_month.*\n"
        "    low: 0.1\n"
        "    high: 1.0\n"
        "    tolerance: 0.01\n"
        "    watch: {workload: w9}\n",
    )
    assert errors == [
        "S:9:13: error: variations[0].watch.workload: no workload 'w9' in the base scenario"
    ]
    errors = _errors(
        tmp_path,
        "variations:\n"
        "  - kind: break_even\n"
        "    address: offers[snc].unit_prices_eur_month.*\n"
        "    low: 2\n"
        "    high: 1.0\n"
        "    tolerance: 0.01\n"
        "    watch: {workload: w1}\n",
    )
    assert len(errors) == 1 and "low must be below high" in errors[0]
    assert errors[0].startswith("S:4:5: ")


def test_missing_base_scenario(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "name: s\nbase: nowhere.yaml\nvariations:\n  - {kind: each, member: site_lost}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_sweep(str(path))
    [issue] = exc.value.issues
    assert (issue.line, issue.field, issue.message) == (
        2,
        "base",
        "base scenario 'nowhere.yaml' not found",
    )


def test_each_unknown_member(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path, "variations:\n  - {kind: each, member: offer_withdrawn, ids: [snc, nope]}\n"
    )
    assert errors == ["S:4:54: error: variations[0].ids[1]: 'nope' is not one of: pub, snc"]


# ---------------------------------------------------------------- addresses and changes


def test_parse_address() -> None:
    a = parse_address("sites[a*].expansion_blocks[rack].max_blocks")
    assert (a.kind, a.ids, [(s.name, s.items) for s in a.steps]) == (
        "sites",
        "a*",
        [("expansion_blocks", "rack"), ("max_blocks", None)],
    )
    assert parse_address("scenario.caps.max_moves").kind == "scenario"


def test_wildcard_multiply_skips_unset_prices() -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    setting = Setting("offers[*].unit_prices_eur_month.*", "multiply", 2.0)
    assert check_address(inputs, setting) is None
    changed, errors = apply_settings(inputs, (setting,))
    assert errors == []
    by_id = {o.id: o.unit_prices_eur_month for o in changed.offers}
    assert (by_id["snc"].vcpu, by_id["snc"].ram_gib, by_id["snc"].storage_gib) == (40, 4, 0.4)
    assert by_id["snc"].gpu is None  # not offered stays not offered
    assert (by_id["pub"].vcpu, by_id["pub"].storage_gib) == (None, 0.1)
    # the base inputs are untouched
    assert {o.id: o.unit_prices_eur_month.vcpu for o in inputs.offers}["snc"] == 20


def test_settings_apply_in_order_and_integers_stay_integers() -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    changed, errors = apply_settings(
        inputs,
        (
            Setting("sites[alpha].expansion_blocks[rack].max_blocks", "add", 2),
            Setting("sites[alpha].expansion_blocks[rack].max_blocks", "multiply", 2),
            Setting("scenario.caps.max_outsourced_share_pct", "set", 30),
            Setting("workloads[w*].demand.vcpu", "multiply", 1.5),
        ),
    )
    assert errors == []
    [rack] = changed.sites[0].expansion_blocks
    assert rack.max_blocks == 6 and isinstance(rack.max_blocks, int)
    assert changed.scenario.caps.max_outsourced_share_pct == 30
    assert [w.demand.vcpu for w in changed.workloads] == [6.0, 6.0, 3.0]


def test_a_non_integral_count_is_refused() -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    _, errors = apply_settings(
        inputs, (Setting("sites[alpha].expansion_blocks[*].max_blocks", "multiply", 1.5),)
    )
    assert [(e.index, e.message) for e in errors] == [
        (0, "expansion_blocks.0.max_blocks: Input should be a valid integer")
    ]


def test_ids_take_several_globs() -> None:
    inputs, _ = load_and_check(str(BASE), str(ROOT))
    changed, errors = apply_settings(
        inputs, (Setting("offers[sn*, pub].egress_eur_gib", "add", 1.0),)
    )
    assert errors == []
    assert {o.id: o.egress_eur_gib for o in changed.offers} == {"snc": 1.0, "pub": 1.01}
