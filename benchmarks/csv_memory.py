"""Peak memory of `planner validate` on large CSV inventories, against the file's size.

    python -m benchmarks.csv_memory                  # 20 MB and 200 MB inventories
    python -m benchmarks.csv_memory --sizes-mb 20 --scenario

Each inventory is made (not measured) in a temporary directory by repeating the rows of
`catalogs/inventory.csv` with a numbered id suffix until the file reaches the size asked for.
Then `planner validate` runs on it in a fresh process, and that process's peak resident memory
is read from the operating system when it ends. By default the inventory is validated alone
(schema only, as `planner validate inventory.csv`); with `--scenario` it is checked with the
demo's sites, providers and policy (cross-file checks and eligibility too). Prints a Markdown
table.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO_INVENTORY = ROOT / "catalogs" / "inventory.csv"
MIB = 1024 * 1024


def write_inventory(path: Path, size_bytes: int) -> int:
    """Write an inventory of about `size_bytes` from the demo's rows; return its row count."""
    with DEMO_INVENTORY.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    id_column = header.index("id")
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        copy = 0
        while out.tell() < size_bytes:
            for row in rows:
                row = list(row)
                row[id_column] = f"{row[id_column]}-r{copy}"
                writer.writerow(row)
                count += 1
            copy += 1
    return count


def write_scenario(folder: Path, inventory: Path) -> Path:
    """A scenario that uses the demo's sites, providers and policy with `inventory`."""
    catalogs = ROOT / "catalogs"
    scenario = {
        "name": "csv-memory",
        "reference_date": date(2026, 11, 29),
        "catalogs": {
            "sites": [str(catalogs / "sites.yaml")],
            "providers": [str(catalogs / "providers.yaml")],
            "workloads": [str(inventory)],
            "policy": str(catalogs / "policy.yaml"),
        },
    }
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return path


def peak_of_validate(target: Path) -> tuple[float, float, int]:
    """Run `planner validate target` in a fresh process: (peak MiB, seconds, exit code)."""
    command = [sys.executable, "-m", "planner", "validate", str(target)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return usage.ru_maxrss / 1024.0, seconds, process.returncode  # ru_maxrss is in KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[20.0, 200.0])
    parser.add_argument(
        "--scenario",
        action="store_true",
        help="check the inventory with the demo's catalogs, not alone",
    )
    args = parser.parse_args()
    print("| inventory MB | rows | checked | peak MiB | peak / file | seconds | exit |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size_mb in args.sizes_mb:
            inventory = folder / "inventory.csv"
            rows = write_inventory(inventory, int(size_mb * 1e6))
            file_mib = inventory.stat().st_size / MIB
            target = write_scenario(folder, inventory) if args.scenario else inventory
            peak_mib, seconds, code = peak_of_validate(target)
            checked = "with the demo's catalogs" if args.scenario else "alone"
            print(
                f"| {inventory.stat().st_size / 1e6:,.0f} | {rows:,} | {checked} "
                f"| {peak_mib:,.0f} | {peak_mib / file_mib:.1f}x | {seconds:.1f} | {code} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
