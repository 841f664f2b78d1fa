"""Strict pydantic schemas of every input file kind."""

from pydantic import BaseModel

from planner.inputs.schema.common import (
    RESOURCES,
    Amounts,
    Location,
    PartialResources,
    Qualification,
    Resources,
)
from planner.inputs.schema.policy import Clause, DataClassRule, DatedRule, Policy, PolicyFile
from planner.inputs.schema.providers import (
    CommitmentTerm,
    EarlyExit,
    Flavour,
    Jurisdiction,
    Offer,
    PriceChange,
    Provider,
    ProvidersFile,
)
from planner.inputs.schema.roadmap import Roadmap
from planner.inputs.schema.scenario import Caps, CatalogPaths, Objective, Scenario, SolverOptions
from planner.inputs.schema.sites import CapacityChange, ExpansionBlock, Site, SitesFile
from planner.inputs.schema.sizing import ResolvedRule, Sizing, SizingRule
from planner.inputs.schema.workloads import (
    Contract,
    SiteOverride,
    Utilisation,
    Workload,
    WorkloadsFile,
)

FILE_KINDS: dict[str, type[BaseModel]] = {
    "sites": SitesFile,
    "providers": ProvidersFile,
    "workloads": WorkloadsFile,
    "policy": PolicyFile,
    "scenario": Scenario,
}

__all__ = [
    "FILE_KINDS",
    "RESOURCES",
    "Amounts",
    "CapacityChange",
    "Caps",
    "CatalogPaths",
    "Clause",
    "CommitmentTerm",
    "Contract",
    "DataClassRule",
    "DatedRule",
    "EarlyExit",
    "ExpansionBlock",
    "Flavour",
    "Jurisdiction",
    "Location",
    "Objective",
    "Offer",
    "PartialResources",
    "Policy",
    "PolicyFile",
    "PriceChange",
    "Provider",
    "ProvidersFile",
    "Qualification",
    "ResolvedRule",
    "Resources",
    "Roadmap",
    "Scenario",
    "Site",
    "SiteOverride",
    "SitesFile",
    "Sizing",
    "SizingRule",
    "SolverOptions",
    "Utilisation",
    "Workload",
    "WorkloadsFile",
]
