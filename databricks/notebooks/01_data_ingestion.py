# Databricks notebook source
# MAGIC %md
# MAGIC # 01_data_ingestion
# MAGIC Load a JSON-lines export of submissions (API `submission` shape with `transcription` and `analysis`) into
# MAGIC `voyce_catalog.bronze.metadata`, rebuild the silver tables (latest row per submission, flattened) and the gold
# MAGIC aggregates `sentiment_trends`, `user_insights`, `model_metrics`. All logic: `voyce_ml.ingestion`.
# MAGIC
# MAGIC Parameters (strings): `source_path` (e.g. `/Volumes/voyce_catalog/bronze/exports/2026-11-27.jsonl`), `catalog`.

# COMMAND ----------

import json

from voyce_ml import catalog, ingestion

dbutils.widgets.text("source_path", "")  # noqa: F821 - dbutils is injected by Databricks
dbutils.widgets.text("catalog", catalog.CATALOG)  # noqa: F821
source_path = dbutils.widgets.get("source_path")  # noqa: F821
name = dbutils.widgets.get("catalog")  # noqa: F821

# COMMAND ----------

counts = ingestion.ingest(spark, source_path, name)  # noqa: F821 - spark is injected by Databricks

# COMMAND ----------

dbutils.notebook.exit(json.dumps(counts))  # noqa: F821
