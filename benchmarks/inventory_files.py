"""Inventories as estates export them: an RVTools workbook and a GLPI CSV, made deterministically.

    python -m benchmarks.inventory_files            # rewrites the demo's committed fixtures
    python -m benchmarks.inventory_files --check    # exit 1 if a committed fixture differs

The demo fixtures are `inventories/rvtools-export.xlsx` (an RVTools export of 300 VMs: the vInfo,
vDisk and vPartition sheets with the columns RVTools 4 writes, a few of its other columns, and
two custom attributes) and `inventories/glpi-export.csv` (a GLPI export of 120 virtual machines:
`;`-separated, UTF-8 with a byte order mark, decimal commas, `Oui`/`Non`). Every figure is
illustrative. `benchmarks/inventory_load.py` writes the same shape at 100,000 VMs.

A workbook is compared by its cells, not its bytes (an xlsx is a zip that records the time it
was written); the CSV is compared byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RVTOOLS_FIXTURE = ROOT / "inventories" / "rvtools-export.xlsx"
GLPI_FIXTURE = ROOT / "inventories" / "glpi-export.csv"

VINFO_COLUMNS = (
    "VM",
    "Powerstate",
    "Template",
    "SRM Placeholder",
    "Config status",
    "DNS Name",
    "Connection state",
    "Guest state",
    "Heartbeat",
    "CPUs",
    "Memory",
    "NICs",
    "Disks",
    "Provisioned MiB",
    "In Use MiB",
    "Unshared MiB",
    "Annotation",
    "Classification",  # a custom attribute
    "Service 24/7",  # a custom attribute
    "Datacenter",
    "Cluster",
    "Host",
    "Folder",
    "OS according to the configuration file",
    "VM ID",
    "VM UUID",
    "VI SDK Server",
)
VDISK_COLUMNS = ("VM", "Powerstate", "Template", "Disk", "Capacity MiB", "Thin", "Datacenter")
VPARTITION_COLUMNS = ("VM", "Powerstate", "Disk", "Capacity MiB", "Consumed MiB", "Free MiB")

# (datacenter, cluster, vCenter, the owners it hosts, their data classes with weights)
_CLUSTERS = (
    ("DC-OSNY", "CL-PI-PROD", "vc-pi.interieur.local", "Intérieur", ("sensitive", "personal")),
    ("DC-OSNY", "CL-PI-HORSPROD", "vc-pi.interieur.local", "Intérieur", ("public", "personal")),
    ("DC-BERCY", "CL-NUBO-01", "vc-nubo.finances.local", "Économie", ("public", "personal")),
    ("DC-BERCY", "CL-NUBO-02", "vc-nubo.finances.local", "Économie", ("sensitive", "public")),
    ("DC-DUQUESNE", "CL-MSOC-HDS", "vc-msoc.social.local", "Santé", ("health", "personal")),
)
_CLASS_LABEL = {
    "public": "Publique",
    "personal": "Données personnelles",
    "sensitive": "Sensible",
    "health": "Données de santé",
}
_OS = (
    "Red Hat Enterprise Linux 8 (64-bit)",
    "Debian GNU/Linux 12 (64-bit)",
    "Microsoft Windows Server 2019 (64-bit)",
    "Ubuntu Linux (64-bit)",
)
_ROLES = ("app", "web", "db", "batch", "api", "ged", "ldap", "bi")


def _vcpu(rng: random.Random) -> int:
    return rng.choices((1, 2, 4, 8, 16), weights=(20, 38, 25, 13, 4))[0]


def rvtools_rows(
    vms: int, seed: int = 2027
) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """(vInfo, vDisk, vPartition) data rows of an RVTools export of `vms` VMs."""
    rng = random.Random(seed)
    vinfo: list[list[Any]] = []
    vdisk: list[list[Any]] = []
    vpartition: list[list[Any]] = []
    for n in range(vms):
        datacenter, cluster, server, owner, classes = _CLUSTERS[rng.randrange(len(_CLUSTERS))]
        template = rng.random() < 0.02
        state = "poweredOff" if template or rng.random() < 0.06 else "poweredOn"
        data_class = classes[0] if rng.random() < 0.6 else classes[1]
        name = f"{cluster.split('-')[1].lower()}-{rng.choice(_ROLES)}-{n + 1:05d}"
        if template:
            name = f"tpl-{name}"
        vcpu = _vcpu(rng)
        memory_mib = vcpu * rng.choice((2, 4, 8)) * 1024
        disks = [rng.choice((20, 40, 60, 100, 200, 500)) * 1024 for _ in range(rng.randint(1, 3))]
        provisioned_mib = sum(disks) + memory_mib  # RVTools counts the swap file
        in_use_mib = round(provisioned_mib * rng.uniform(0.25, 0.9), 3)
        annotation = (
            f"Application : {name.split('-')[1].upper()} {owner}\n"
            f"Classe : {_CLASS_LABEL[data_class]}\nContact : bureau-{n % 40:02d}@{owner[:3]}.fr"
        )
        vinfo.append(
            [
                name,
                state,
                "True" if template else "False",
                "False",
                "green",
                f"{name}.{owner[:3].lower()}.gouv.fr" if state == "poweredOn" else "",
                "connected",
                "running" if state == "poweredOn" else "notRunning",
                "green" if state == "poweredOn" else "gray",
                vcpu,
                memory_mib,
                rng.randint(1, 2),
                len(disks),
                provisioned_mib,
                in_use_mib,
                round(in_use_mib * 0.9, 3),
                annotation,
                _CLASS_LABEL[data_class],
                "Oui" if rng.random() < 0.3 else "Non",
                datacenter,
                cluster,
                f"esx{rng.randint(1, 16):02d}.{cluster.lower()}.local",
                f"/{owner}/{name.split('-')[1]}",
                rng.choice(_OS),
                f"vm-{10000 + n}",
                f"4210{n:04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}",
                server,
            ]
        )
        for d, capacity_mib in enumerate(disks, start=1):
            flag = "True" if template else "False"
            vdisk.append([name, state, flag, f"Hard disk {d}", capacity_mib, "True", datacenter])
            used = round(capacity_mib * rng.uniform(0.2, 0.9), 3)
            vpartition.append(
                [name, state, f"/dev/sd{'abc'[d - 1]}1", capacity_mib, used, capacity_mib - used]
            )
    return vinfo, vdisk, vpartition


def write_rvtools(path: Path, vms: int, seed: int = 2027) -> None:
    """Write an RVTools-shaped workbook of `vms` VMs (openpyxl, write-only: constant memory)."""
    from openpyxl import Workbook

    vinfo, vdisk, vpartition = rvtools_rows(vms, seed)
    book = Workbook(write_only=True)
    for title, columns, rows in (
        ("vInfo", VINFO_COLUMNS, vinfo),
        ("vDisk", VDISK_COLUMNS, vdisk),
        ("vPartition", VPARTITION_COLUMNS, vpartition),
    ):
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(row)
    book.save(path)


def workbook_cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cells, by sheet name (how two workbooks are compared)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()


GLPI_COLUMNS = (
    "Nom",
    "Entité",
    "Statut",
    "Type",
    "Système d'exploitation - Nom",
    "Processeurs virtuels",
    "Mémoire (Mio)",
    "Disque (Gio)",
    "Lieu",
    "Classification",
    "Astreinte 24/7",
    "Commentaires",
)
_GLPI_ENTITIES = (
    ("Entité racine > Culture", "Paris > Valmy"),
    ("Entité racine > Agriculture", "Paris > Varenne"),
    ("Entité racine > Justice", "Paris > Vendôme"),
)


def glpi_rows(vms: int, seed: int = 2028) -> Iterator[list[str]]:
    """Data rows of a GLPI export of virtual machines (text as GLPI writes it)."""
    rng = random.Random(seed)
    for n in range(vms):
        entity, place = _GLPI_ENTITIES[rng.randrange(len(_GLPI_ENTITIES))]
        vcpu = _vcpu(rng)
        status = rng.choices(("En production", "En recette", "Retiré"), weights=(85, 10, 5))[0]
        disk_gib = rng.choice((20, 40, 80, 150)) + rng.choice((0, 0.5, 0.25))
        yield [
            f"{entity.split('> ')[1][:3].lower()}-vm-{n + 1:04d}",
            entity,
            status,
            "Machine virtuelle",
            rng.choice(_OS).split(" (")[0],
            str(vcpu),
            str(vcpu * rng.choice((2, 4)) * 1024),
            f"{disk_gib:g}".replace(".", ","),
            place,
            rng.choice(("Publique", "Données personnelles", "Sensible")),
            "Oui" if rng.random() < 0.25 else "Non",
            rng.choice(("", "Serveur applicatif; sauvegarde quotidienne", "Base de données")),
        ]


def glpi_bytes(vms: int, seed: int = 2028) -> bytes:
    """A GLPI CSV export: `;`, UTF-8 with a byte order mark, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(GLPI_COLUMNS)
    writer.writerows(glpi_rows(vms, seed))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


DEMO_VMS = 300
DEMO_GLPI_VMS = 120


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    glpi = glpi_bytes(DEMO_GLPI_VMS)
    if not args.check:
        write_rvtools(RVTOOLS_FIXTURE, DEMO_VMS)
        GLPI_FIXTURE.write_bytes(glpi)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.xlsx"
        write_rvtools(fresh, DEMO_VMS)
        same = workbook_cells(fresh) == workbook_cells(RVTOOLS_FIXTURE)
    same = same and GLPI_FIXTURE.read_bytes() == glpi
    print("fixtures are current" if same else "a fixture differs: run without --check")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
