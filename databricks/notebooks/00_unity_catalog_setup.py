# Databricks notebook source
# MAGIC %md
# MAGIC # 00_unity_catalog_setup
# MAGIC Create catalog `voyce_catalog`, schemas `bronze` / `silver` / `gold`, their Delta tables and the `gold.models`
# MAGIC volume (trained artifacts). Idempotent: every statement is `IF NOT EXISTS`. The DDL lives in `voyce_ml.catalog`.
# MAGIC
# MAGIC Parameters (strings): `catalog` (default `voyce_catalog`).

# COMMAND ----------

import json

from voyce_ml import catalog

dbutils.widgets.text("catalog", catalog.CATALOG)  # noqa: F821 - dbutils is injected by Databricks
name = dbutils.widgets.get("catalog")  # noqa: F821

# COMMAND ----------

statements = catalog.setup_statements(name)
for statement in statements:
    spark.sql(statement)  # noqa: F821 - spark is injected by Databricks

# COMMAND ----------

dbutils.notebook.exit(json.dumps({"catalog": name, "statements": len(statements)}))  # noqa: F821
