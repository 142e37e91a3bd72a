# Databricks notebook source
# MAGIC %md
# MAGIC # 05_model_training
# MAGIC Two modes, one task (`voyce_ml.tasks.model_training`, the same code the local jobs runtime runs):
# MAGIC
# MAGIC * **default** (no `org_id`): fit the intent, emotion and sentiment heads on the labelled sentences shipped in
# MAGIC   `voyce_ml/data/`, print per-class figures for the held-out test split, and save a versioned `model.json`
# MAGIC   under `output_dir` (e.g. `/Volumes/voyce_catalog/gold/models`). All logic: `voyce_ml.training`.
# MAGIC * **organisation** (`org_id` set): refit the heads on the default data plus the organisation's corrections
# MAGIC   (`corrections_url` — a read-only blob URL of JSON lines — or `corrections_path`), score them against the
# MAGIC   active model (`active_model_path`, default: the packaged one) on corrections they did not train on, and
# MAGIC   write `<output_dir>/<org_id>/<version>/model.json` only when better. All logic: `voyce_ml.org_model_task`.
# MAGIC
# MAGIC The exit value is the task's JSON result: in organisation mode `status`, `model_version`, `artifact_path`,
# MAGIC `artifact_sha256` and `evaluation` `{before, after, n}`.

# COMMAND ----------

import json

from voyce_ml import tasks

PARAMS = ("output_dir", "org_id", "corrections_url", "corrections_path", "active_model_path", "active_model_sha256")
for name in PARAMS:
    dbutils.widgets.text(name, "/Volumes/voyce_catalog/gold/models" if name == "output_dir" else "")  # noqa: F821 - dbutils is injected by Databricks
params = {name: dbutils.widgets.get(name) for name in PARAMS}  # noqa: F821

# COMMAND ----------

result = tasks.model_training(params)

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821
