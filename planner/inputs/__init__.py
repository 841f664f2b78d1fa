"""Stage 1, inputs: files read safely (YAML/CSV with source lines), scenario overrides, strict
schemas, and the frozen `Inputs` every later stage reads."""

from planner.inputs.scenario import load_inputs, load_scenario_file

__all__ = ["load_inputs", "load_scenario_file"]
