"""The demo files the fuzzer mutates: the repository's catalogs and scenarios, cut to a size that
validates in a tenth of a second and plans in a few tenths."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOG_FILES = (
    "catalogs/sites.yaml",
    "catalogs/providers.yaml",
    "catalogs/workloads.yaml",
    "catalogs/policy.yaml",
    "catalogs/inventory.csv",
)
# the snapshot scenarios of the catalogs above (the RVTools demo reads a workbook, not mutated
# as text; a roadmap plans for minutes, beyond a fuzz example's time)
SCENARIO_FILES = tuple(
    f"scenarios/{p.name}"
    for p in sorted((ROOT / "scenarios").glob("*.yaml"))
    if p.name != "rvtools-demo.yaml" and not p.name.startswith("roadmap-")
)

VALIDATE_INVENTORY_ROWS = 20
PLAN_INVENTORY_ROWS = 12
# hand-written workloads the plan seed keeps: one of each feature the demo uses (pin, GPU,
# anti-affinity pair, affinity group, retirement, per-site cost override, exclusions)
PLAN_WORKLOADS = (
    "anef-titres-sejour",
    "ants-titres-securises",
    "gendarmerie-video-analytics",
    "dr-messagerie-interministerielle",
    "idfed-node-a",
    "idfed-node-b",
    "dgfip-recouvrement-app",
    "dgfip-recouvrement-db",
    "dgfip-intranet-2009",
    "pnds-health-data-platform",
    "ft-ai-diagnostic",
    "culture-collections",
)


class Seed(dict[str, bytes]):
    """File contents by path relative to the repository; a short repr for hypothesis' reports."""

    def __repr__(self) -> str:
        return f"<{len(self)} demo files>"


def _head_rows(text: str, rows: int) -> str:
    """The CSV header and its first `rows` data lines (the demo has no multi-line cells)."""
    return "".join(text.splitlines(keepends=True)[: rows + 1])


def _keep_workloads(text: str, keep: tuple[str, ...]) -> str:
    """workloads.yaml with only the blocks of the listed ids (comments between blocks go)."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    assert starts, "the demo's workloads.yaml lists its workloads as '  - id: ...' blocks"
    kept = lines[: starts[0]]
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        match = re.match(r"  - id: (\S+)", lines[start])
        if match and match.group(1) in keep:
            kept.extend(line for line in lines[start:end] if not line.lstrip().startswith("#"))
    return "".join(kept)


def demo_files() -> Seed:
    """Every catalog and scenario of the demo, as bytes, by path relative to the repository."""
    return Seed({name: (ROOT / name).read_bytes() for name in (*CATALOG_FILES, *SCENARIO_FILES)})


def validate_seed() -> Seed:
    """The demo with its inventory cut to its first rows (every hand-written workload stays)."""
    files = demo_files()
    inventory = files["catalogs/inventory.csv"].decode()
    files["catalogs/inventory.csv"] = _head_rows(inventory, VALIDATE_INVENTORY_ROWS).encode()
    return files


def plan_seed() -> Seed:
    """The demo with a dozen hand-written workloads and a dozen inventory rows."""
    files = demo_files()
    inventory = files["catalogs/inventory.csv"].decode()
    files["catalogs/inventory.csv"] = _head_rows(inventory, PLAN_INVENTORY_ROWS).encode()
    workloads = files["catalogs/workloads.yaml"].decode()
    files["catalogs/workloads.yaml"] = _keep_workloads(workloads, PLAN_WORKLOADS).encode()
    return files


def write_seed(directory: Path, files: Seed) -> None:
    """Lay the files out under `directory` as in the repository (catalogs/, scenarios/)."""
    for name, data in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
