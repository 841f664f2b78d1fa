"""The roadmap: the placement model over periods (`model.py`), its wave and budget rows
(`waves.py`) and its solve (`solve.py`)."""
