# Databricks notebook source
# MAGIC %md
# MAGIC # 03_sentiment_analysis
# MAGIC The full analysis of a transcript: sentiment, emotions, intent, action items, keywords, importance
# MAGIC score and model version (MiniLM embeddings + the trained classifier heads + rules). Logic lives in
# MAGIC `voyce_ml` (`databricks/python`), shared with the local jobs runtime.
# MAGIC
# MAGIC Parameters (strings): `submission_id`, `text` (may be empty when the clip had no speech),
# MAGIC `redact_pii` (optional, "true" to redact e-mails/phones/cards before analysis).

# COMMAND ----------

import json

from voyce_ml import tasks

dbutils.widgets.text("submission_id", "")  # noqa: F821 - dbutils is injected by Databricks
dbutils.widgets.text("text", "")  # noqa: F821
dbutils.widgets.text("redact_pii", "")  # noqa: F821

params = {name: dbutils.widgets.get(name) for name in ("submission_id", "text", "redact_pii")}  # noqa: F821

# COMMAND ----------

result = tasks.run_task(tasks.SENTIMENT_ANALYSIS, params)

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821 - read back through runs/get-output notebook_output.result
