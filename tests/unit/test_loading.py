"""Loading: line numbers, every error at once, hints, CSV, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.errors import InputError
from planner.inputs import load_inputs
from planner.pipeline import load_and_check
from tests.helpers import offer, provider, site, workload, write_scenario


def issues_of(path: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_and_check(path)
    return [issue.format() for issue in info.value.issues]


def test_unknown_field_names_file_line_and_suggests(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    text = (tmp_path / "sites.yaml").read_text().replace("vcpu: 8", "vpcu: 8", 1)
    (tmp_path / "sites.yaml").write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "vpcu" in row)
    [message] = issues_of(path)
    assert f"sites.yaml:{line}:" in message
    assert "unknown field 'vpcu'" in message
    assert "did you mean 'vcpu'?" in message
    assert "sites[0].capacity.vpcu" in message


def test_every_error_of_every_file_reported_at_once(tmp_path: Path) -> None:
    bad_site = site("alpha")
    bad_site["capacity"]["vcpu"] = -4
    bad_site["headroom_pct"] = "ten"
    path = write_scenario(tmp_path, sites=[bad_site], workloads=[workload("w", extra_field=1)])
    messages = issues_of(path)
    assert len(messages) == 3
    assert any(
        "sites.yaml" in m and "capacity.vcpu" in m and "greater than or equal to 0" in m
        for m in messages
    )
    assert any("headroom_pct" in m and "valid number" in m for m in messages)
    assert any("workloads.yaml" in m and "unknown field 'extra_field'" in m for m in messages)


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    (tmp_path / "workloads.yaml").write_text("workloads:\n  - id: w\n   data_class: [\n")
    [message] = issues_of(path)
    assert "workloads.yaml:3:" in message and "YAML syntax error" in message


def test_missing_catalog_named_with_scenario_line(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    (tmp_path / "policy.yaml").unlink()
    [message] = issues_of(path)
    assert "scenario.yaml:" in message and "policy catalog 'policy.yaml' not found" in message


def test_duplicate_and_dangling_ids(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha"), site("alpha")],
        workloads=[workload("w", current_site="alpah"), workload("w", data_class="secret")],
    )
    messages = issues_of(path)
    assert any("'alpha' is used more than once" in m for m in messages)
    assert any("workload id 'w' is used 2 times" in m for m in messages)
    assert any(
        "unknown site or offer 'alpah'" in m and "did you mean 'alpha'?" in m for m in messages
    )
    assert any("unknown data class 'secret'" in m for m in messages)


def test_workload_no_site_may_take(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", operation_24_7=False)],
        providers=[provider("big", [offer("pub")], eu=False)],
        workloads=[workload("idp", data_class="sensitive", needs_24_7=True)],
    )
    from planner.candidates.units import build_candidates

    inputs, _ = load_and_check(path)
    with pytest.raises(InputError) as info:
        build_candidates(inputs)
    [issue] = info.value.issues
    assert issue.file is not None and issue.file.endswith("workloads.yaml") and issue.line == 2
    assert "no site or offer may take workload 'idp'" in issue.message
    assert "alpha: workload needs 24/7 operation" in (issue.hint or "")
    assert "exposed to extra-EU law" in (issue.hint or "")


def test_classified_is_an_error(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path, sites=[site("alpha")], workloads=[workload("secret", data_class="classified")]
    )
    [message] = issues_of(path)
    assert "may not be placed in any cloud" in message


def test_csv_inventory_with_bad_cell(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")])
    csv_text = (
        "id,data_class,vcpu,ram_gib,storage_gib,needs_24_7,exclude\n"
        "c1,public,2,8,50,true,\n"
        "c2,public,two,8,50,false,alpha;beta\n"
    )
    (tmp_path / "inv.csv").write_text(csv_text)
    scenario = yaml.safe_load((tmp_path / "scenario.yaml").read_text())
    scenario["catalogs"]["workloads"].append("inv.csv")
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario))
    [message] = issues_of(path)
    assert "inv.csv:3:3" in message and "'two' is not a number" in message
    (tmp_path / "inv.csv").write_text(csv_text.replace("two", "2").replace(";beta", ""))
    inputs = load_inputs(path)
    c2 = next(w for w in inputs.workloads if w.id == "c2")
    assert c2.demand.vcpu == 2 and c2.exclude == ("alpha",) and c2.needs_24_7 is False


def test_overrides_merge_deeply_and_are_traced(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha", vcpu=8)],
        workloads=[workload("w")],
        overrides={"sites": {"alpha": {"capacity": {"vcpu": 0}}}},
    )
    inputs = load_inputs(path)
    assert inputs.sites[0].capacity.vcpu == 0
    assert inputs.sites[0].capacity.ram_gib == 32  # untouched sibling kept
    assert inputs.overrides_applied == ("sites.alpha.capacity.vcpu: 8 -> 0",)


def test_override_errors_point_at_the_scenario(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        sites=[site("alpha")],
        workloads=[workload("w")],
        overrides={"sites": {"alpah": {"headroom_pct": 5}, "alpha": {"headroom_pct": -1}}},
    )
    messages = issues_of(path)
    assert any(
        "scenario.yaml" in m
        and "override of unknown site 'alpah'" in m
        and "did you mean 'alpha'?" in m
        for m in messages
    )
    assert any("scenario.yaml" in m and "headroom_pct" in m for m in messages)
