# Databricks notebook source
# MAGIC %md
# MAGIC # 06_batch_inference
# MAGIC Re-analyse many stored transcripts with the current model version (batch re-inference). Logic:
# MAGIC `voyce_ml.batch` (the local jobs runtime runs the same function).
# MAGIC
# MAGIC Parameters (strings): `items` (JSON list of `{submission_id, text}`) or `items_url` (http(s) URL of such a
# MAGIC JSON file, e.g. a read-only blob SAS URL, for batches over the 10 KB parameter limit), `batch_size`
# MAGIC (optional, default 64), `redact_pii` (optional).

# COMMAND ----------

import json

from voyce_ml import tasks

for name in ("items", "items_url", "batch_size", "redact_pii"):
    dbutils.widgets.text(name, "")  # noqa: F821 - dbutils is injected by Databricks

params = {name: dbutils.widgets.get(name) for name in ("items", "items_url", "batch_size", "redact_pii")}  # noqa: F821

# COMMAND ----------

result = tasks.run_task(tasks.BATCH_INFERENCE, params)

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821 - read back through runs/get-output notebook_output.result
