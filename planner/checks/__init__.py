"""Stage 2, checks: cross-file references and policy rules over validated inputs (`planner
validate`, `plan` and `diff` run them)."""
