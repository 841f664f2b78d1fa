"""Time to load a large RVTools export, and the two xlsx readers it could be read with.

    python -m benchmarks.inventory_load                 # 100,000 VMs
    python -m benchmarks.inventory_load --vms 20000 --skip-openpyxl

The workbook is made (not timed) by `benchmarks/inventory_files.py` in a temporary folder, the
shape of `inventories/rvtools-export.xlsx` at `--vms` VMs (vInfo, vDisk, vPartition). Then, one
after the other in this process: openpyxl's read-only mode and python-calamine each read every
row of the vInfo sheet (the reader alone), and the planner loads the scenario
`scenarios/rvtools-demo.yaml` pointed at the big workbook (calamine, the mapping, the vDisk sums
and the schema validation of every workload: `load_inputs`). Prints a Markdown table with the
machine's load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.inventory_files import ROOT, write_rvtools


def _openpyxl_rows(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in book["vInfo"].iter_rows(values_only=True)) - 1
    finally:
        book.close()


def _calamine_rows(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return len(book.get_sheet_by_name("vInfo").to_python()) - 1


def _planner_workloads(scenario: Path) -> int:
    from planner.inputs import load_inputs

    return len(load_inputs(str(scenario), root=os.sep).workloads)  # catalogs anywhere


def _scenario(folder: Path, workbook: Path) -> Path:
    """The RVTools demo scenario with its catalogs, reading `workbook`."""
    body = yaml.safe_load((ROOT / "scenarios" / "rvtools-demo.yaml").read_text())
    catalogs = body["catalogs"]
    for kind in ("sites", "providers"):
        catalogs[kind] = [str(ROOT / "catalogs" / Path(p).name) for p in catalogs[kind]]
    catalogs["policy"] = str(ROOT / "catalogs" / "policy.yaml")
    catalogs["workloads"][0]["file"] = str(workbook)
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True))
    return path


def _timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = run()
    return time.perf_counter() - start, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=100_000)
    parser.add_argument("--skip-openpyxl", action="store_true", help="it takes about a minute")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        workbook = folder / "rvtools.xlsx"
        write_rvtools(workbook, args.vms)
        size_mb = workbook.stat().st_size / 1e6
        scenario = _scenario(folder, workbook)
        load_before = os.getloadavg()[0]
        runs: list[tuple[str, Callable[[], int]]] = []
        if not args.skip_openpyxl:
            runs.append(("openpyxl 3.1 read-only, vInfo rows", lambda: _openpyxl_rows(workbook)))
        runs.append(("python-calamine, vInfo rows", lambda: _calamine_rows(workbook)))
        planner = "planner load_inputs (calamine, mapping, vDisk sums, schema)"
        runs.append((planner, lambda: _planner_workloads(scenario)))
        results = [(label, *_timed(run)) for label, run in runs]
        load_after = os.getloadavg()[0]
    print(
        f"{args.vms:,} VMs, workbook {size_mb:.1f} MB; load average {load_before:.2f} -> ", end=""
    )
    print(f"{load_after:.2f} on {os.cpu_count()} cores")
    print()
    print("| reader | rows or workloads | seconds |")
    print("|---|---:|---:|")
    for label, seconds, count in results:
        print(f"| {label} | {count:,} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
