"""Voyce ML task code.

One package, two callers: the Databricks notebooks (`databricks/notebooks/*.py`) and the local
Jobs API runtime (`python -m voyce_ml.runtime`). Both go through `voyce_ml.tasks`, so a run gives
the same answer wherever it executes.
"""

__version__ = "0.1.0"
