# Databricks notebook source
# MAGIC %md
# MAGIC # 06_batch_inference
# MAGIC Re-analyse many stored transcripts with the current model version (batch re-inference). Logic:
# MAGIC `voyce_ml.batch` (the local jobs runtime runs the same function).
# MAGIC
# MAGIC Parameters (strings): `items` (JSON list of `{submission_id, text}`) or `items_url` (http(s) URL of such a
# MAGIC JSON file, e.g. a read-only blob SAS URL, for batches over the 10 KB parameter limit), `batch_size`
# MAGIC (optional, default 64), `redact_pii` (optional).
# MAGIC
# MAGIC **Spark path** (Databricks only, optional): with `spark_target_table` set (e.g.
# MAGIC `voyce_catalog.silver.reanalysed`), the notebook instead re-analyses on the cluster every transcript of
# MAGIC `silver.transcriptions` whose analysis has another model version (or `spark_source_table`, a table with
# MAGIC `submission_id` and `text`), through the analyzer as a pandas UDF (`voyce_ml.spark_inference`), and appends
# MAGIC the analyses to that Delta table. Without it, the notebook behaves exactly as before (same input and output).

# COMMAND ----------

import json

from voyce_ml import tasks

NAMES = ("items", "items_url", "batch_size", "redact_pii", "spark_target_table", "spark_source_table")
for name in NAMES:
    dbutils.widgets.text(name, "")  # noqa: F821 - dbutils is injected by Databricks

params = {name: dbutils.widgets.get(name) for name in NAMES}  # noqa: F821

# COMMAND ----------

if params["spark_target_table"]:
    from voyce_ml import pii, spark_inference

    version = tasks.analyzer().model_version
    source = (spark.table(params["spark_source_table"]).select("submission_id", "text") if params["spark_source_table"]  # noqa: F821
              else spark_inference.stale_transcripts(spark, version))  # noqa: F821 - spark is injected by Databricks
    result = {"model_version": version, **spark_inference.run_spark_batch(
        spark, source, params["spark_target_table"], batch_size=int(params["batch_size"] or 64),  # noqa: F821
        redact_pii=pii.enabled(params))}
else:
    result = tasks.run_task(tasks.BATCH_INFERENCE, {k: params[k] for k in ("items", "items_url", "batch_size", "redact_pii")})

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821 - read back through runs/get-output notebook_output.result
