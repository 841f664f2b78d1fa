"""CSV inventories: required and optional columns, header faults, encodings, positions, memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.csv_memory import write_inventory
from planner.checks.validate import validate_paths
from planner.errors import InputError, InputIssue
from planner.inputs import load_inputs
from planner.inputs.csv_file import REQUIRED_COLUMNS, load_workloads_csv
from planner.inputs.dialect import CsvDialect
from tests.helpers import site, workload, write_scenario

HEADER = "id,data_class,needs_24_7,vcpu,ram_gib,storage_gib"


def errors_of(path: Path) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        load_workloads_csv(str(path))
    return info.value.issues


def with_inventory(tmp_path: Path, text: str | bytes, **scenario: Any) -> str:
    """A scenario (one 24/7 site, `alpha`) whose workloads are one YAML one and `inv.csv`."""
    path = write_scenario(tmp_path, sites=[site("alpha")], workloads=[workload("w")], **scenario)
    target = tmp_path / "inv.csv"
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    body = yaml.safe_load((tmp_path / "scenario.yaml").read_text())
    body["catalogs"]["workloads"].append("inv.csv")
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(body))
    return path


@pytest.mark.parametrize("column", REQUIRED_COLUMNS)
def test_a_missing_required_column_is_an_error_at_line_1(tmp_path: Path, column: str) -> None:
    columns = HEADER.split(",")
    values = ["c1", "public", "true", "2", "8", "50"]
    keep = [i for i, name in enumerate(columns) if name != column]
    path = tmp_path / "inv.csv"
    path.write_text(
        ",".join(columns[i] for i in keep) + "\n" + ",".join(values[i] for i in keep) + "\n"
    )
    [issue] = errors_of(path)
    assert (issue.file, issue.line, issue.field) == (str(path), 1, column)
    assert issue.message == f"missing required column '{column}'"
    assert issue.hint is not None and "required columns: id, data_class" in issue.hint


def test_an_empty_cell_of_a_required_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER + "\nc1,public,true,2,8,50\nc2,public,,2,8,50\n")
    [issue] = errors_of(path)
    assert (issue.line, issue.column, issue.field) == (3, 3, "needs_24_7")
    assert issue.message == "empty cell in required column 'needs_24_7'"


def test_optional_columns_left_out_take_their_documented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER + "\nc1,public,false,2,8,50\n")
    data, _ = load_workloads_csv(str(path))
    assert data == {
        "workloads": [
            {
                "id": "c1",
                "data_class": "public",
                "needs_24_7": False,
                "demand": {"vcpu": 2.0, "ram_gib": 8.0, "storage_gib": 50.0},
            }
        ]
    }


def test_a_duplicated_header_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER + ",retire,retire\nc1,public,true,2,8,50,false,true\n")
    [issue] = errors_of(path)
    assert (issue.line, issue.column, issue.field) == (1, 8, "retire")
    assert issue.message == "column 'retire' appears twice (columns 7 and 8)"


def test_an_inventory_without_data_rows_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER + "\n\n")
    data, smap = load_workloads_csv(str(path))
    assert data == {"workloads": []}
    [warning] = smap.warnings
    assert (warning.severity, warning.line, warning.message) == (
        "warning",
        1,
        "the inventory has a header but no data rows",
    )
    report = validate_paths([str(path)])
    assert [(i.severity, i.code) for i in report.issues] == [("warning", "empty-inventory")]
    strict = validate_paths([str(path)], strict=True)
    assert strict.errors == 1


def test_an_empty_inventory_in_a_scenario_is_a_warning(tmp_path: Path) -> None:
    scenario = with_inventory(tmp_path, HEADER + "\n")
    report = validate_paths([scenario])
    assert report.errors == 0
    assert [(i.file, i.line, i.code) for i in report.issues] == [
        (str(tmp_path / "inv.csv"), 1, "empty-inventory")
    ]


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "\nc1,public,true,2,8,50\n").encode())
    data, _ = load_workloads_csv(str(path))
    assert data["workloads"][0]["id"] == "c1"


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_sniffed_from_the_header(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "inv.csv"
    rows = [HEADER + ",exclude,name", 'c1,public,true,2,8,50,"a;b","Paris, 7e"']
    text = "\n".join(rows).replace(",", separator) + "\n"
    if separator != ",":  # the quoted cells keep their commas
        text = text.replace(f"Paris{separator} 7e", "Paris, 7e")
    path.write_text(text)
    data, _ = load_workloads_csv(str(path))
    [row] = data["workloads"]
    assert (row["exclude"], row["name"]) == (("a", "b"), "Paris, 7e")


def test_a_semicolon_file_with_a_byte_order_mark_and_a_declared_decimal_comma(
    tmp_path: Path,
) -> None:
    path = tmp_path / "inv.csv"
    text = HEADER.replace(",", ";") + ";egress_gib_month\nc1;public;oui;2;7,5;1 250,25;0,5\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("oui", "true").encode())
    data, _ = load_workloads_csv(str(path), CsvDialect(decimal=","))
    [row] = data["workloads"]
    assert row["demand"] == {"vcpu": 2.0, "ram_gib": 7.5, "storage_gib": 1250.25}
    assert row["egress_gib_month"] == 0.5


def test_a_decimal_comma_not_declared_is_an_error_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER.replace(",", ";") + "\nc1;public;true;2;7,5;50\n")
    [issue] = errors_of(path)
    assert (issue.line, issue.column, issue.field) == (2, 5, "ram_gib")
    assert issue.message == "'7,5' is not a number"
    assert issue.hint is not None and "decimal: ','" in issue.hint


def test_with_a_decimal_comma_a_decimal_point_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER.replace(",", ";") + "\nc1;public;true;2;7.5;50\n")
    with pytest.raises(InputError) as info:
        load_workloads_csv(str(path), CsvDialect(decimal=","))
    [issue] = info.value.issues
    assert (issue.line, issue.column, issue.message) == (2, 5, "'7.5' is not a number")
    assert issue.hint == "the inventory is declared with a decimal comma: write 1,5 rather than 1.5"


def test_a_declared_windows_1252_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_bytes(
        (HEADER + ",owner\nc1,public,true,2,8,50,Ministère — Santé\n").encode("cp1252")
    )
    data, _ = load_workloads_csv(str(path), CsvDialect(encoding="cp1252"))
    assert data["workloads"][0]["owner"] == "Ministère — Santé"


def test_a_byte_undefined_in_the_declared_encoding_is_located(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_bytes((HEADER + ",owner\nc1,public,true,2,8,50,ab").encode() + b"\x81\n")
    with pytest.raises(InputError) as info:
        load_workloads_csv(str(path), CsvDialect(encoding="cp1252"))
    [issue] = info.value.issues
    assert (issue.line, issue.column, issue.code) == (2, 25, "bad-encoding")
    assert issue.message == "byte 0x81 at byte offset 80 is not a character in cp1252"


def test_a_windows_1252_file_is_refused_with_line_and_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    header = HEADER + ",name\n"  # 55 bytes
    line_2 = "c1,public,true,2,8,50,Paris\n"  # 28 bytes
    line_3 = "c2,public,true,2,8,50,Réseau\n"  # 'é' after 23 bytes of the line
    path.write_bytes((header + line_2).encode() + line_3.encode("cp1252"))
    [issue] = errors_of(path)
    assert (issue.line, issue.column, issue.code) == (3, 24, "not-utf8")
    assert issue.message == (
        "the file is not UTF-8: byte 0xE9 at byte offset 106 is not valid UTF-8"
    )
    assert issue.hint is not None and "re-save the file as UTF-8" in issue.hint


def test_positions_are_those_of_the_cells_without_a_table_of_them(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(HEADER + ',pin\nc1,public,true,2,8,50,\n\n"c2",public,true,2,8,50,alpha\n')
    _, smap = load_workloads_csv(str(path))
    assert smap.positions == {}  # nothing stored per cell
    assert list(smap.row_lines) == [2, 4]
    assert (smap.find(("workloads", 1)).line, smap.find(("workloads", 1)).column) == (4, None)
    assert smap.find(("workloads", 1, "demand", "ram_gib")).column == 5
    assert smap.find(("workloads", 1, "pin")).column == 7
    assert smap.find(("workloads", 0, "unknown_field")).column is None


def test_a_schema_error_points_at_the_cell(tmp_path: Path) -> None:
    scenario = with_inventory(
        tmp_path, HEADER + "\nc1,public,true,2,8,50\nbad id!,public,true,2,8,50\n"
    )
    with pytest.raises(InputError) as info:
        load_inputs(scenario)
    [issue] = info.value.issues
    assert (Path(issue.file or "").name, issue.line, issue.column) == ("inv.csv", 3, 1)
    assert issue.field == "workloads[1].id"
    report = validate_paths([str(tmp_path / "inv.csv")])
    assert [(i.line, i.column, i.field) for i in report.issues] == [(3, 1, "workloads[1].id")]


def test_an_override_of_a_csv_workload_points_at_the_scenario(tmp_path: Path) -> None:
    scenario = with_inventory(
        tmp_path,
        HEADER + "\nc1,public,true,2,8,50\n",
        overrides={"workloads": {"c1": {"demand": {"vcpu": -1}}}},
    )
    with pytest.raises(InputError) as info:
        load_inputs(scenario)
    [issue] = info.value.issues
    assert (
        Path(issue.file or "").name == "scenario.yaml" and issue.field == "workloads[0].demand.vcpu"
    )


def test_checking_an_inventory_alone_keeps_memory_well_under_ten_times_its_size(
    tmp_path: Path,
) -> None:
    (tmp_path / "alone").mkdir()  # no other test's files beside it to look for scenarios in
    path = tmp_path / "alone" / "inv.csv"
    write_inventory(path, 2_000_000)  # the demo's rows, repeated: about 15,000 rows
    size = path.stat().st_size
    tracemalloc.start()
    try:
        report = validate_paths([str(path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.issues == [] and report.files == {str(path): "workloads"}
    assert peak < 8 * size, f"peak {peak / size:.1f}x the file"  # it was 50x
