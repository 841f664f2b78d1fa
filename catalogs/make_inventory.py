"""Generate catalogs/inventory.csv: a synthetic CMDB export of ~300 State workloads.

Deterministic (random.Random(2026)): running it again rewrites the same file byte for byte.

    .venv/bin/python catalogs/make_inventory.py            # writes catalogs/inventory.csv
    .venv/bin/python catalogs/make_inventory.py -o out.csv

How the rows are made (all figures illustrative):
- sizes follow the usual shape of a public-sector VM estate: 58 % of workloads have at most
  2 vCPU, 23 % 3-4, 12 % 6-8, 6 % 12-24 and 1 % more (32-64); RAM is 2, 4 or 8 GiB per vCPU;
- each owner (a ministry or agency) has a home internal cloud and its own mix of data classes
  (public, personal, sensitive, health); no row is `classified` or `diffusion_restreinte`;
- most rows are already placed, on their owner's internal cloud or on an offer allowed for
  their data class that has a flavour big enough (public-cloud flavours stop at 8 vCPU / 32 GiB,
  AWS at 16 vCPU / 64 GiB); about 12 % are new (no current site);
- a workload that needs 24/7 operation is never placed on Nubo (not supervised 24/7);
- no internal site is fuller today than its capacity less headroom: a row that would overfill
  its site is listed as new (not yet deployed);
- a few application + database affinity groups, replica pairs (anti-affinity), pins,
  exclusions, retirements, egress volumes and one-off move costs;
- observed utilisation, illustrative and drawn by its own generator (random.Random(2027)) so
  the rows above are the same with or without it: 30 days of history for most rows, a week
  for some, none for new or retiring rows and a few others; CPU at p50 / p95 / p99 as % of
  the provisioned vCPU, low for most rows with a long tail (the shape of the Azure VM trace of
  Cortez et al., "Resource Central", SOSP 2017); memory at p95 / p99 as % of the provisioned
  RAM, used more evenly; storage in use 30-90 % of the provisioned disk. Only a scenario with
  a sizing policy reads them (scenarios/what-if-rightsized.yaml); the baseline plans every
  row as provisioned.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

import yaml

COLUMNS = (
    "id",
    "name",
    "owner",
    "data_class",
    "needs_24_7",
    "vcpu",
    "ram_gib",
    "storage_gib",
    "gpu",
    "current_site",
    "retire",
    "affinity_group",
    "anti_affinity_group",
    "pin",
    "exclude",
    "egress_gib_month",
    "move_cost_eur",
)
USE_COLUMNS = (
    "util_window_days",
    "cpu_p50_pct",
    "cpu_p95_pct",
    "cpu_p99_pct",
    "ram_p95_pct",
    "ram_p99_pct",
    "storage_used_gib",
)
N_ROWS = 300
SEED = 2026
USE_SEED = 2027  # the utilisation's own generator

# Owner: (id prefix, short name, full name, home internal site, weights of data classes
#         public / personal / sensitive / health, share of the estate).
OWNERS: tuple[tuple[str, str, str, str, tuple[int, int, int, int], int], ...] = (
    ("mi", "Intérieur", "Ministère de l'Intérieur", "pi", (15, 30, 55, 0), 22),
    ("dgfip", "DGFiP", "DGFiP (Économie et Finances)", "nubo", (10, 30, 60, 0), 20),
    ("douane", "Douanes", "DGDDI (Douanes)", "nubo", (10, 30, 60, 0), 6),
    (
        "social",
        "Ministères sociaux",
        "Ministères sociaux (Santé, Travail, Solidarités)",
        "msociaux",
        (15, 30, 10, 45),
        14,
    ),
    ("men", "Éducation", "Éducation nationale", "nubo", (35, 55, 10, 0), 10),
    ("justice", "Justice", "Ministère de la Justice", "pi", (10, 40, 50, 0), 7),
    ("culture", "Culture", "Ministère de la Culture", "nubo", (70, 30, 0, 0), 6),
    ("agri", "Agriculture", "Agriculture et Souveraineté alimentaire", "nubo", (40, 50, 10, 0), 6),
    ("dinum", "DINUM", "DINUM (services interministériels)", "pi", (45, 35, 20, 0), 9),
)
CLASSES = ("public", "personal", "sensitive", "health")

KINDS = (
    ("portail", "Portail usagers"),
    ("api", "API"),
    ("ged", "GED"),
    ("rh", "Gestion RH"),
    ("referentiel", "Référentiel"),
    ("reporting", "Reporting décisionnel"),
    ("formulaires", "Formulaires en ligne"),
    ("annuaire", "Annuaire"),
    ("batch", "Traitements batch"),
    ("sig", "SIG cartographie"),
    ("supervision", "Supervision"),
    ("etl", "Chaîne ETL"),
    ("intranet", "Intranet"),
    ("ticketing", "Support et tickets"),
    ("archivage", "Archivage"),
    ("paiement", "Encaissement"),
    ("courrier", "Gestion du courrier"),
    ("agenda", "Prise de RDV"),
)

# Offers a row may already run on, by data class (ids of catalogs/providers.yaml), with the
# largest flavour each can give (None: priced per unit, no size limit).
PUBLIC_CLOUD = {
    "ovh-public-gra": (8, 32),
    "scaleway-par": (8, 32),
    "hetzner-fsn": (8, 32),
    "aws-eu-central-1": (16, 64),
}
SNC_OFFERS = ("outscale-iaas-snc", "cloud-temple-iaas-snc")
HYPERSCALERS = ("aws-eu-central-1", "azure-gwc", "gcp-europe-west3")


def _fits(offer: str, vcpu: int, ram: int) -> bool:
    """True if a flavour of that offer holds the workload (flavours are n vCPU / 4n GiB)."""
    max_vcpu, max_ram = PUBLIC_CLOUD[offer]
    return vcpu <= max_vcpu and ram <= max_ram


def _size_buckets(rng: random.Random, n: int) -> list[int]:
    """vCPU of n workloads with the exact shares 58/23/12/6/1 %, in random order."""
    shares = (
        (0.58, (1, 2), (40, 60)),
        (0.23, (3, 4), (20, 80)),
        (0.12, (6, 8), (35, 65)),
        (0.06, (12, 16, 24), (45, 35, 20)),
        (0.01, (32, 48, 64), (50, 30, 20)),
    )
    sizes: list[int] = []
    for share, values, weights in shares:
        count = round(share * n)
        sizes.extend(rng.choices(values, weights=weights, k=count))
    while len(sizes) < n:
        sizes.append(2)
    del sizes[n:]
    rng.shuffle(sizes)
    return sizes


def _current_site(
    rng: random.Random, home: str, data_class: str, needs_24_7: bool, vcpu: int, ram: int
) -> str:
    """Where the row runs today ('' for a new workload)."""
    if rng.random() < 0.12:
        return ""
    internal_home = "pi" if (home == "nubo" and needs_24_7) else home
    if data_class == "sensitive":
        if home == "msociaux" and rng.random() < 0.5:
            return "msociaux"
        return internal_home if rng.random() < 0.85 else rng.choice(SNC_OFFERS)
    if data_class == "health":
        if rng.random() < 0.7 or not _fits("aws-eu-central-1", vcpu, ram):
            return "msociaux"
        return "aws-eu-central-1"
    # public and personal: the owner's internal cloud or a public-cloud offer that fits
    if rng.random() < 0.55:
        return internal_home
    offers = [o for o in PUBLIC_CLOUD if _fits(o, vcpu, ram)]
    return rng.choice(offers) if offers else internal_home


def generate(seed: int = SEED, n_rows: int = N_ROWS) -> list[dict[str, str]]:
    rng = random.Random(seed)
    sizes = _size_buckets(rng, n_rows)
    owner_weights = [o[5] for o in OWNERS]
    rows: list[dict[str, str]] = []
    serial: dict[str, int] = {}
    i = 0
    n_affinity = n_anti = n_pin = n_exclude = 0
    while len(rows) < n_rows:  # a group is never cut: the file may end a row or two over
        code, short, label, home, class_weights, _ = rng.choices(OWNERS, weights=owner_weights)[0]
        kind, kind_label = rng.choice(KINDS)
        data_class = rng.choices(CLASSES, weights=class_weights)[0]
        needs_24_7 = rng.random() < (0.25 if data_class in ("sensitive", "health") else 0.08)
        vcpu = sizes[i % len(sizes)]
        ram = vcpu * rng.choice((2, 4, 4, 8))
        storage = rng.choices(
            (20, 50, 100, 200, 500, 1000, 2000, 5000), weights=(10, 25, 25, 15, 12, 7, 4, 2)
        )[0]
        current = _current_site(rng, home, data_class, needs_24_7, vcpu, ram)
        serial[code] = serial.get(code, 0) + 1
        base_id = f"{code}-{kind}-{serial[code]:02d}"
        row = {c: "" for c in COLUMNS}
        row.update(
            id=base_id,
            name=f"{kind_label} — {short}",
            owner=label,
            data_class=data_class,
            needs_24_7=str(needs_24_7).lower(),
            vcpu=str(vcpu),
            ram_gib=str(ram),
            storage_gib=str(storage),
            gpu="0",
            current_site=current,
            retire="false",
        )
        if current and rng.random() < 0.9:
            row["move_cost_eur"] = str(vcpu * rng.choice((150, 300, 600)) + 500)
        if data_class == "public" and rng.random() < 0.5:
            row["egress_gib_month"] = str(rng.choice((50, 200, 500, 1000, 5000)))
        if current and rng.random() < 0.03:
            row["retire"] = "true"
        group: list[dict[str, str]] = [row]
        roll = rng.random()
        if roll < 0.035 and n_affinity < 10 and row["retire"] == "false":
            # an application and its database must share a site
            n_affinity += 1
            row["affinity_group"] = f"{base_id}-grp"
            row["id"], row["name"] = f"{base_id}-app", row["name"] + " (application)"
            db = dict(
                row,
                id=f"{base_id}-db",
                name=f"{kind_label} — {short} (base de données)",
                vcpu=str(max(2, vcpu // 2)),
                ram_gib=str(max(2, vcpu // 2) * 8),
                storage_gib=str(storage * 4),
                egress_gib_month="",
            )
            if db["current_site"] in PUBLIC_CLOUD and not _fits(
                db["current_site"], int(db["vcpu"]), int(db["ram_gib"])
            ):
                row["current_site"] = db["current_site"] = (
                    "" if not current else ("pi" if home == "nubo" and needs_24_7 else home)
                )
            group.append(db)
        elif roll < 0.06 and n_anti < 6 and row["retire"] == "false" and data_class != "health":
            # two replicas that must not share a site
            n_anti += 1
            row["anti_affinity_group"] = f"{base_id}-ha"
            row["id"], row["name"] = f"{base_id}-a", row["name"] + " (réplique A)"
            replica = dict(
                row,
                id=f"{base_id}-b",
                name=f"{kind_label} — {short} (réplique B)",
                current_site="",
                move_cost_eur="",
            )
            group.append(replica)
        elif roll < 0.08 and n_pin < 3 and current in ("pi", "msociaux"):
            # pinned by a ministerial decision (never to Nubo: the what-if loses Nubo)
            n_pin += 1
            row["pin"] = current
        elif (
            roll < 0.10
            and n_exclude < 6
            and data_class in ("public", "personal")
            and current not in HYPERSCALERS
        ):
            # the owner refuses offers under extra-EU jurisdiction, even for this data
            n_exclude += 1
            row["exclude"] = ";".join(HYPERSCALERS)
        rows.extend(group)
        i += 1
    return rows


RESOURCES = ("vcpu", "ram_gib", "storage_gib", "gpu")
HERE = Path(__file__).parent


def fit_to_capacity(rows: list[dict[str, str]]) -> int:
    """Rows that would overfill their internal site today become new workloads.

    The named workloads of workloads.yaml are counted first; then each row in file order keeps
    its internal current site only while the site's capacity less headroom (with overcommit)
    holds it, so the inventory never describes a site fuller than it can be. Returns how many
    rows were turned into new workloads.
    """
    sites = yaml.safe_load((HERE / "sites.yaml").read_text())["sites"]
    free = {
        s["id"]: {
            r: s["capacity"].get(r, 0)
            * (1 - s.get("headroom_pct", 0) / 100)
            * s.get("overcommit", {}).get(r, 1.0)
            for r in RESOURCES
        }
        for s in sites
    }
    named = yaml.safe_load((HERE / "workloads.yaml").read_text())["workloads"]
    for w in named:
        for r in RESOURCES:
            if w.get("current_site") in free:
                free[w["current_site"]][r] -= w["demand"].get(r, 0)
    moved = 0
    for row in rows:
        site = row["current_site"]
        if site not in free:
            continue
        need = {r: float(row[r] or 0) for r in RESOURCES}
        if all(need[r] <= free[site][r] for r in RESOURCES):
            for r in RESOURCES:
                free[site][r] -= need[r]
        else:
            row["current_site"] = row["move_cost_eur"] = ""
            moved += 1
    return moved


def add_utilisation(rows: list[dict[str, str]], seed: int = USE_SEED) -> None:
    """Observed utilisation of each row (module docstring), empty cells where there is none."""
    rng = random.Random(seed)
    for row in rows:
        roll = rng.random()
        if not row["current_site"] or row["retire"] == "true" or roll < 0.05:
            row.update(dict.fromkeys(USE_COLUMNS, ""))
            continue
        p50 = 100 * rng.betavariate(1.2, 6.0)
        p95 = p50 + (100 - p50) * rng.betavariate(1.1, 2.2)
        p99 = p95 + (100 - p95) * rng.betavariate(1.0, 3.0)
        ram95 = 100 * rng.betavariate(5.0, 3.0)
        ram99 = ram95 + (100 - ram95) * rng.betavariate(1.0, 4.0)
        row.update(
            util_window_days="7" if roll < 0.12 else "30",
            cpu_p50_pct=f"{p50:.1f}",
            cpu_p95_pct=f"{p95:.1f}",
            cpu_p99_pct=f"{p99:.1f}",
            ram_p95_pct=f"{ram95:.1f}",
            ram_p99_pct=f"{ram99:.1f}",
            storage_used_gib=str(round(float(row["storage_gib"]) * rng.uniform(0.3, 0.9))),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(__file__).with_name("inventory.csv")
    )
    args = parser.parse_args()
    rows = generate()
    fit_to_capacity(rows)
    add_utilisation(rows)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS + USE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
