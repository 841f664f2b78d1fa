"""Inventories as they come: RVTools workbooks, GLPI and iTop CSVs through a declared mapping."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from benchmarks import inventory_files
from planner.errors import InputError, InputIssue
from planner.inputs import load_inputs
from planner.inputs.inventory import load_inventory
from planner.inputs.schema.inventory import Inventory
from planner.inputs.schema_errors import freeze
from tests.helpers import site, write_scenario

ROOT = Path(__file__).resolve().parents[2]
VINFO = ["VM", "Powerstate", "Template", "CPUs", "Memory", "Provisioned MiB", "In Use MiB"]
VINFO += ["Datacenter", "Cluster", "Annotation", "Classification"]
RVTOOLS: dict[str, Any] = {
    "format": "rvtools",
    "mapping": {
        "data_class": {"column": "Annotation", "match": "classe=(\\w+)"},
        "needs_24_7": {"column": "Classification", "values": {"Oui": True, "Non": False}},
        "current_site": {"column": "Cluster", "values": {"CL-A": "alpha", "CL-B": None}},
    },
    "filter": {"templates": "skip", "powered_off": "retire"},
}


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def vm(name: str, **cells: Any) -> list[Any]:
    row = {
        "VM": name,
        "Powerstate": "poweredOn",
        "Template": "False",
        "CPUs": 2,
        "Memory": 6144,
        "Provisioned MiB": 51200,
        "In Use MiB": 20480.5,
        "Datacenter": "DC1",
        "Cluster": "CL-A",
        "Annotation": "app: x\nclasse=public",
        "Classification": "Non",
    }
    row.update(cells)
    return [row[c] for c in VINFO]


def load(path: Path, **spec: Any) -> list[dict[str, Any]]:
    declared = Inventory.model_validate(freeze({"file": path.name, **spec}))
    data, _ = load_inventory(str(path), declared)
    workloads: list[dict[str, Any]] = data["workloads"]
    return workloads


def errors(path: Path, **spec: Any) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        load(path, **spec)
    return info.value.issues


def test_an_rvtools_vinfo_sheet_maps_to_workloads(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "rv.xlsx",
        {
            "vInfo": [
                VINFO,
                vm("web-01"),
                vm("tpl-rhel9", Template="True", Powerstate="poweredOff"),
                vm("old-02", Powerstate="poweredOff", Cluster="CL-B", Classification="Oui"),
                vm("db-03", CPUs=8, Memory=32768, **{"Provisioned MiB": 1536}),
            ]
        },
    )
    assert load(path, **RVTOOLS) == [
        {
            "id": "web-01",
            "name": "web-01",
            "data_class": "public",
            "needs_24_7": False,
            "current_site": "alpha",
            "demand": {"vcpu": 2.0, "ram_gib": 6.0, "storage_gib": 50.0},
        },
        {  # powered off: retired; its cluster maps to no site (a new workload)
            "id": "old-02",
            "name": "old-02",
            "data_class": "public",
            "needs_24_7": True,
            "retire": True,
            "demand": {"vcpu": 2.0, "ram_gib": 6.0, "storage_gib": 50.0},
        },
        {
            "id": "db-03",
            "name": "db-03",
            "data_class": "public",
            "needs_24_7": False,
            "current_site": "alpha",
            "demand": {"vcpu": 8.0, "ram_gib": 32.0, "storage_gib": 1.5},
        },
    ]


def test_powered_off_vms_kept_or_skipped_and_templates_kept_as_declared(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "rv.xlsx",
        {
            "vInfo": [
                VINFO,
                vm("a"),
                vm("b", Powerstate="poweredOff"),
                vm("c", Template=True, Powerstate="suspended"),
            ]
        },
    )
    spec = {**RVTOOLS, "filter": {"templates": "keep", "powered_off": "skip"}}
    assert [w["id"] for w in load(path, **spec)] == ["a"]  # c is a template, but suspended
    spec = {**RVTOOLS, "filter": {"templates": "keep", "powered_off": "keep"}}
    assert [(w["id"], w.get("retire")) for w in load(path, **spec)] == [
        ("a", None),
        ("b", None),
        ("c", None),
    ]


def test_storage_summed_from_the_vdisk_sheet_in_use_or_provisioned(tmp_path: Path) -> None:
    vdisk: list[list[Any]] = [["VM", "Disk", "Capacity MiB"], ["a", "Hard disk 1", 10240]]
    vdisk += [["a", "Hard disk 2", 5120]]
    vdisk += [["b", "Hard disk 1", 2048]]
    path = workbook(tmp_path / "rv.xlsx", {"vInfo": [VINFO, vm("a"), vm("b")], "vDisk": vdisk})
    mapping = {**RVTOOLS["mapping"], "storage_gib": {"column": "Capacity MiB", "sheet": "vDisk"}}
    mapping["storage_gib"]["unit"] = "MiB"
    got = load(path, **{**RVTOOLS, "mapping": mapping})
    assert [w["demand"]["storage_gib"] for w in got] == [15.0, 2.0]
    mapping["storage_gib"] = {"column": "In Use MiB", "unit": "MiB"}
    got = load(path, **{**RVTOOLS, "mapping": mapping})
    assert [w["demand"]["storage_gib"] for w in got] == [20480.5 / 1024] * 2


def test_every_bad_cell_is_reported_with_its_sheet_row_and_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "rv.xlsx",
        {
            "vInfo": [
                VINFO,
                vm("a", CPUs="deux"),
                vm("b", Cluster="CL-Z"),
                vm("c", Annotation="no class here"),
                vm("d", Classification="Peut-être", Memory=True),
            ]
        },
    )
    got = [(i.file, i.line, i.column, i.field, i.message) for i in errors(path, **RVTOOLS)]
    assert got == [
        (str(path), 2, 4, "vcpu", "sheet vInfo, cell D2: 'deux' is not a number"),
        (
            str(path),
            3,
            9,
            "current_site",
            "sheet vInfo, cell I3: 'CL-Z' is not one of the values mapped for current_site",
        ),
        (
            str(path),
            4,
            10,
            "data_class",
            "sheet vInfo, cell J4: no value for data_class in column 'Annotation' "
            "('classe=(\\w+)' does not match)",
        ),
        (str(path), 5, 5, "ram_gib", "sheet vInfo, cell E5: 'true' is not a number"),
        (
            str(path),
            5,
            11,
            "needs_24_7",
            "sheet vInfo, cell K5: 'Peut-être' is not one of the values mapped for needs_24_7",
        ),
    ]


def test_a_column_the_mapping_names_must_be_in_the_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "rv.xlsx", {"vInfo": [VINFO[:-1], vm("a")[:-1]]})
    [issue] = errors(path, **RVTOOLS)
    assert (issue.line, issue.field) == (1, "mapping.needs_24_7")
    assert (
        issue.message == "no column 'Classification' in sheet vInfo (named by mapping.needs_24_7)"
    )
    assert issue.hint is not None and issue.hint.startswith("columns: 'VM', 'Powerstate'")


def test_a_missing_sheet_and_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path / "rv.xlsx", {"Feuil1": [VINFO]})
    [issue] = errors(path, **RVTOOLS)
    assert (issue.message, issue.hint) == ("no sheet 'vInfo' in the workbook", "its sheets: Feuil1")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("VM,CPUs\n")
    [issue] = errors(fake, **RVTOOLS)
    assert issue.message == "not an xlsx workbook (not a zip archive)"


def test_a_workbook_that_would_inflate_like_a_zip_bomb_is_refused_unread(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    [issue] = errors(bomb, **RVTOOLS)
    assert issue.message.startswith("the workbook would inflate to 50.0 MB (one part ")
    assert issue.message.endswith("times its compressed size): refused unread")


def test_a_glpi_export_through_its_mapping(tmp_path: Path) -> None:
    """The committed GLPI fixture: ';', a byte order mark, decimal commas, Oui/Non."""
    spec = yaml.safe_load((ROOT / "tests/fixtures/inventories/glpi.yaml").read_text())
    rows = list(inventory_files.glpi_rows(inventory_files.DEMO_GLPI_VMS))
    kept = [r for r in rows if r[2] in ("En production", "En recette")]
    got = load(ROOT / "inventories" / "glpi-export.csv", **spec)
    assert [w["id"] for w in got] == [r[0] for r in kept]
    assert got[0] == {
        "id": "agr-vm-0001",
        "name": "agr-vm-0001",
        "owner": "Entité racine > Agriculture",
        "data_class": "sensitive",
        "needs_24_7": True,
        "demand": {"vcpu": 4.0, "ram_gib": 8.0, "storage_gib": 80.5},
    }
    assert {w["demand"]["storage_gib"] for w in got} >= {20.25, 40.5}


def test_an_itop_export_in_windows_1252_with_a_value_map(tmp_path: Path) -> None:
    path = tmp_path / "itop.csv"
    text = (
        '"Nom","Organisation","Statut","Criticité","CPU","RAM (Go)","Disque (Go)"\n'
        '"vm-compta","Ministère","production","Haute","4","16","200"\n'
        '"vm-test","Ministère","obsolète","Basse","1","2","20"\n'
    )
    path.write_bytes(text.encode("cp1252"))
    spec = {
        "format": "csv",
        "encoding": "cp1252",
        "mapping": {
            "id": "Nom",
            "owner": "Organisation",
            "needs_24_7": {"column": "Criticité", "values": {"Haute": True, "Basse": False}},
            "vcpu": "CPU",
            "ram_gib": "RAM (Go)",
            "storage_gib": {"column": "Disque (Go)", "unit": "GB"},
        },
        "defaults": {"data_class": "personal"},
        "filter": {"skip": {"Statut": ["obsolète"]}},
    }
    [row] = load(path, **spec)
    assert row["owner"] == "Ministère"
    assert row["demand"] == {"vcpu": 4.0, "ram_gib": 16.0, "storage_gib": 200e9 / 2**30}
    assert (row["needs_24_7"], row["data_class"]) == (True, "personal")


def test_a_csv_cell_in_the_wrong_dialect_is_located(tmp_path: Path) -> None:
    path = tmp_path / "glpi.csv"
    path.write_text("Nom;CPU;RAM;Disque\nvm-1;2;4;10,5\nvm-2;2,5.;4;x\n")
    spec = {
        "format": "csv",
        "decimal": ",",
        "mapping": {"id": "Nom", "vcpu": "CPU", "ram_gib": "RAM", "storage_gib": "Disque"},
        "defaults": {"data_class": "public", "needs_24_7": False},
    }
    got = [(i.line, i.column, i.field, i.message) for i in errors(path, **spec)]
    assert got == [
        (3, 2, "vcpu", "'2,5.' is not a number"),
        (3, 4, "storage_gib", "'x' is not a number"),
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"filter": {"templates": "skip"}},
            "an RVTools inventory says what to do with templates (filter.templates: skip or keep) "
            "and powered-off VMs (filter.powered_off: skip, keep or retire)",
        ),
        (
            {"mapping": {"cpu": "CPUs"}},
            "unknown workload field 'cpu' (fields: id, name, owner, data_class, needs_24_7",
        ),
        (
            {"mapping": {"needs_24_7": {"column": "X", "values": {"Oui": "yes"}}}},
            "mapping.needs_24_7.values: the value for needs_24_7 must be true or false, not 'yes'",
        ),
        (
            {"mapping": {"data_class": {"column": "Annotation", "match": "(a)(b)"}}},
            "use at most one group: its text is the value",
        ),
    ],
)
def test_a_wrong_declaration_is_an_error_in_the_scenario(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    entry = {"file": "rv.xlsx", **RVTOOLS, **change}
    if "mapping" in change and "cpu" not in change["mapping"]:
        entry["mapping"] = {**RVTOOLS["mapping"], **change["mapping"]}
    scenario = write_scenario(tmp_path, sites=[site("alpha")], workloads=[])
    body = yaml.safe_load(Path(scenario).read_text())
    body["catalogs"]["workloads"] = [entry]
    Path(scenario).write_text(yaml.safe_dump(body, sort_keys=False))
    with pytest.raises(InputError) as info:
        load_inputs(scenario)
    [issue] = info.value.issues
    assert issue.file == scenario and issue.line is not None and issue.line > 1
    assert message in issue.message


def test_the_rvtools_demo_reads_the_committed_fixture_as_the_generator_made_it() -> None:
    inputs = load_inputs(str(ROOT / "scenarios" / "rvtools-demo.yaml"))
    vinfo, vdisk, _ = inventory_files.rvtools_rows(inventory_files.DEMO_VMS)
    kept = [r for r in vinfo if r[2] == "False"]
    assert [w.id for w in inputs.workloads] == [r[0] for r in kept]
    disks: dict[str, float] = {}
    for row in vdisk:
        disks[row[0]] = disks.get(row[0], 0) + row[4] / 1024
    for workload, row in zip(inputs.workloads, kept, strict=True):
        assert workload.retire == (row[1] == "poweredOff")
        assert (workload.demand.vcpu, workload.demand.ram_gib) == (row[9], row[10] / 1024)
        assert workload.demand.storage_gib == disks[row[0]]
        assert workload.needs_24_7 == (row[18] == "Oui")
    assert inventory_files.main(["--check"]) == 0
