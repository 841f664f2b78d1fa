"""Strict pydantic schemas of every input file kind."""

from pydantic import BaseModel

from planner.inputs.schema.common import (
    RESOURCES,
    Amounts,
    Location,
    Qualification,
    Resources,
)
from planner.inputs.schema.policy import Clause, DataClassRule, Policy, PolicyFile
from planner.inputs.schema.providers import Flavour, Jurisdiction, Offer, Provider, ProvidersFile
from planner.inputs.schema.scenario import Caps, CatalogPaths, Objective, Scenario, SolverOptions
from planner.inputs.schema.sites import ExpansionBlock, Site, SitesFile
from planner.inputs.schema.workloads import SiteOverride, Workload, WorkloadsFile

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
    "Caps",
    "CatalogPaths",
    "Clause",
    "DataClassRule",
    "ExpansionBlock",
    "Flavour",
    "Jurisdiction",
    "Location",
    "Objective",
    "Offer",
    "Policy",
    "PolicyFile",
    "Provider",
    "ProvidersFile",
    "Qualification",
    "Resources",
    "Scenario",
    "Site",
    "SiteOverride",
    "SitesFile",
    "SolverOptions",
    "Workload",
    "WorkloadsFile",
]
