"""planner: sovereign hybrid-cloud placement planner (catalogs -> MILP -> Terraform-style plan)."""

__version__ = "0.1.0"
