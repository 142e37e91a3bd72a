# Databricks notebook source
# MAGIC %md
# MAGIC # 05_model_training
# MAGIC Fit the intent, emotion and sentiment heads (logistic regression over all-MiniLM-L6-v2 embeddings) on the
# MAGIC labelled sentences shipped in `voyce_ml/data/`, print per-class precision/recall/F1 and confusion matrices
# MAGIC for the held-out test split, and save a versioned `model.json` (logged to MLflow when available).
# MAGIC All logic: `voyce_ml.training`.
# MAGIC
# MAGIC Parameters (strings): `output_dir` (a Unity Catalog volume path, e.g. `/Volumes/voyce_catalog/gold/models`).
# MAGIC Point the runtime at the new artifact with `VOYCE_MODEL_PATH=<output_dir>/<version>/model.json`.

# COMMAND ----------

import json
from pathlib import Path

from voyce_ml import training

dbutils.widgets.text("output_dir", "/Volumes/voyce_catalog/gold/models")  # noqa: F821 - dbutils is injected by Databricks
output_dir = Path(dbutils.widgets.get("output_dir"))  # noqa: F821

# COMMAND ----------

artifact, path = training.train(output_dir)

# COMMAND ----------

dbutils.notebook.exit(json.dumps({"version": artifact.version, "path": str(path), "metrics": artifact.metrics}))  # noqa: F821
