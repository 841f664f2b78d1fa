"""Stage 3, candidates: places, eligibility (policy as data), costs, placement units and the
pruning of dominated options. No solver code here."""
