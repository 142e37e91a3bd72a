"""Local Databricks Jobs runtime: the Jobs API 2.1 subset Voyce uses, backed by warm worker processes.

Modules: `store` (runs in SQLite), `workers` (model-holding processes), `scheduler` (queue,
cancel, timeout), `views` (Databricks JSON shapes), `api` (HTTP), `__main__` (CLI, signals).
"""
