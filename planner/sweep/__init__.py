"""Sweeps: many variants of one scenario planned on a Dask cluster, and what they show.

A sweep file (`schema.py`) names a base scenario and variations; parameters are addresses into
the validated inputs (`address.py`); the variations expand into variants (`variants.py`), each
planned on a worker from inputs shipped once (`worker.py`, `cluster.py`); every variant's
record is appended to a results file (`results.py`) and summarised (`summary.py`).
"""
