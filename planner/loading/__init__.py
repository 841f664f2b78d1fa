"""Loading: YAML/CSV with source lines, scenario overrides, schema validation."""

from planner.loading.scenario import load_inputs, load_scenario_file

__all__ = ["load_inputs", "load_scenario_file"]
