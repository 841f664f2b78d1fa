"""Stage 4, optimise: the MILP (model), its solve with an honest status, shadow prices and the
elastic model of the diagnosis. The only package that imports pulp or highspy."""
