# Databricks notebook source
# MAGIC %md
# MAGIC # 03_sentiment_analysis
# MAGIC Sentiment of a transcript with VADER (label, compound score, confidence). Logic lives in `voyce_ml`
# MAGIC (`databricks/python`), shared with the local jobs runtime.
# MAGIC
# MAGIC Parameters (strings): `submission_id`, `text` (may be empty when the clip had no speech).

# COMMAND ----------

import json

from voyce_ml import tasks

dbutils.widgets.text("submission_id", "")  # noqa: F821 - dbutils is injected by Databricks
dbutils.widgets.text("text", "")  # noqa: F821

params = {name: dbutils.widgets.get(name) for name in ("submission_id", "text")}  # noqa: F821

# COMMAND ----------

result = tasks.run_task(tasks.SENTIMENT_ANALYSIS, params)

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821 - read back through runs/get-output notebook_output.result
