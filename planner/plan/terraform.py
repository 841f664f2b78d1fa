"""The parts of a plan JSON that Terraform plan consumers read (policy-as-code tools).

`terraform show -json` gives `planned_values.root_module.resources` (every resource that exists
after the plan, with its values), `prior_state` (those that exist before), a `configuration`,
and on each resource its `address` (`type.name`), `mode` and `provider_name`. A plan writes
them derived from its `resource_changes` and `context`, so that checkov's `terraform_plan`
framework and terraform-compliance load it and evaluate policies on every resource; no
Terraform runs. The planner reads a plan back from `resource_changes` and drops these parts
and the derived values of its states.

Each placement's values carry what sovereignty rules need beside its state: the workload's
`data_class`, and the place's `qualifications` in force on the scenario's reference date,
`extra_eu_law_exposure`, `jurisdiction` and `location`. One `planner_summary.plan` resource
carries the plan's totals (`outsourced_share_pct`, monthly costs), for rules on the whole plan.
"""

from __future__ import annotations

from typing import Any

# what the Terraform JSON plan format calls these: the format these parts follow and the
# Terraform release whose output they match (terraform-compliance checks both)
TERRAFORM_FORMAT_VERSION = "1.2"
TERRAFORM_VERSION = "1.9.0"
PROVIDER_NAME = "registry.terraform.io/sovereign-cloud/planner"
SUMMARY_TYPE = "planner_summary"
SUMMARY_NAME = "plan"
DERIVED_KEYS = ("terraform_version", "planned_values", "prior_state", "configuration")
# the values a placement's states gain in the JSON (a consumer reads `change.after` as the
# resource's values, so it carries them too); the planner drops them when it reads a plan
DERIVED_STATE_KEYS = (
    "workload",
    "data_class",
    "qualifications",
    "extra_eu_law_exposure",
    "jurisdiction",
    "location",
)


def _places(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Place id -> the facts sovereignty rules test, from the plan's report context."""
    context = data.get("context") or {}
    day = str(data["scenario"]["reference_date"])
    facts = {}
    for place in context.get("places", ()):
        held = sorted(
            q["name"]
            for q in place["qualifications"]
            if q["status"] == "qualified" and (q["valid_until"] is None or q["valid_until"] >= day)
        )
        facts[place["id"]] = {
            "qualifications": held,
            "extra_eu_law_exposure": place["extra_eu_law_exposure"],
            "jurisdiction": place["jurisdiction"],
            "location": place["location"],
        }
    return facts


def _values(
    rc: dict[str, Any], state: dict[str, Any], classes: dict[str, str], places: dict[str, Any]
) -> dict[str, Any]:
    """A resource's state, and for a placement its workload's class and its place's facts."""
    if rc["type"] != "planner_placement":
        return dict(state)
    return {
        **state,
        "workload": rc["name"],
        "data_class": classes.get(rc["name"]),
        **places.get(state["site"], {}),
    }


def _resource(rc: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": rc["address"],
        "mode": rc["mode"],
        "type": rc["type"],
        "name": rc["name"],
        "provider_name": rc["provider_name"],
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    totals = data["totals"]
    values = {
        "scenario": data["scenario"]["name"],
        "outsourced_share_pct": totals["outsourced_share_pct"],
        # the same in hundredths of a percent, a whole number: terraform-compliance compares
        # only whole numbers (a decimal one passes every comparison unchecked)
        "outsourced_share_basis_points": round(totals["outsourced_share_pct"] * 100),
        "monthly_cost_before_eur": totals["monthly_cost_before_eur"],
        "monthly_cost_after_eur": totals["monthly_cost_after_eur"],
        "one_off_migration_eur": totals["one_off_migration_eur"],
        "moves": totals["moves"],
    }
    rc = {
        "address": f"{SUMMARY_TYPE}.{SUMMARY_NAME}",
        "mode": "managed",
        "type": SUMMARY_TYPE,
        "name": SUMMARY_NAME,
        "provider_name": PROVIDER_NAME,
    }
    return _resource(rc, values)


def _root(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"root_module": {"resources": resources}}


def terraform_parts(data: dict[str, Any]) -> dict[str, Any]:
    """The Terraform plan consumers' parts of a plan's JSON value `data` (its model dump)."""
    classes: dict[str, str] = (data.get("context") or {}).get("data_class_of", {})
    places = _places(data)

    changes = [
        {
            **rc,
            "change": {
                **rc["change"],
                **{
                    side: _values(rc, rc["change"][side], classes, places)
                    for side in ("before", "after")
                    if rc["change"][side] is not None
                },
            },
        }
        for rc in data["resource_changes"]
    ]

    def existing(side: str) -> list[dict[str, Any]]:
        return [_resource(rc, rc["change"][side]) for rc in changes if rc["change"][side]]

    return {
        "resource_changes": changes,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": _root([*existing("after"), _summary(data)]),
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": TERRAFORM_VERSION,
            "values": _root(existing("before")),
        },
        "configuration": {
            "provider_config": {"planner": {"name": "planner", "full_name": PROVIDER_NAME}},
            "root_module": {},
        },
    }
