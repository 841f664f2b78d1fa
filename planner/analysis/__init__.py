"""Stage 6, analysis: what is read off plans: explanations of one workload, plan diffs and merge
gates."""
