"""Stage 5, plan: the typed plan document and its JSON, extracted from a solve, with the reasons
for each decision and the context reports show."""
