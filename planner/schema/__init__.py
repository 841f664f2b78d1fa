"""Strict pydantic schemas of every input file kind."""

from pydantic import BaseModel

from planner.schema.common import RESOURCES, Location, Qualification, Resources
from planner.schema.policy import Clause, DataClassRule, Policy, PolicyFile
from planner.schema.providers import Flavour, Jurisdiction, Offer, Provider, ProvidersFile
from planner.schema.scenario import Caps, CatalogPaths, Objective, Scenario, SolverOptions
from planner.schema.sites import ExpansionBlock, Site, SitesFile
from planner.schema.workloads import SiteOverride, Workload, WorkloadsFile

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
