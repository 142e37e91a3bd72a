"""Unity Catalog layout of Voyce (ARCHITECTURE.md "Databricks layer") as DDL, for 00_unity_catalog_setup.

Why DDL strings in the package: the notebook just executes them with `spark.sql`, and a test here
checks every table of the architecture is created, idempotently (IF NOT EXISTS), in Delta format.
Columns mirror the PostgreSQL rows the ingestion copies (`ingestion.py`) and the gold aggregates.
"""

from __future__ import annotations

CATALOG = "voyce_catalog"
SCHEMAS = ("bronze", "silver", "gold")

TABLES: dict[str, str] = {
    "bronze.audio_files": "submission_id STRING, blob_path STRING, content_type STRING, size_bytes BIGINT, duration_ms BIGINT, "
    "ingested_at TIMESTAMP",
    "bronze.metadata": "submission_id STRING, user_id STRING, status STRING, title STRING, category STRING, language STRING, "
    "context STRING, created_at TIMESTAMP, updated_at TIMESTAMP, raw STRING, ingested_at TIMESTAMP",
    "silver.transcriptions": "submission_id STRING, text STRING, language STRING, confidence DOUBLE, model STRING, "
    "model_version STRING, updated_at TIMESTAMP",
    "silver.enriched_metadata": "submission_id STRING, user_id STRING, category STRING, created_at TIMESTAMP, "
    "sentiment STRING, sentiment_score DOUBLE, sentiment_confidence DOUBLE, intent STRING, intent_confidence DOUBLE, "
    "top_emotion STRING, keywords ARRAY<STRING>, action_item_count INT, importance_score DOUBLE, model_version STRING, "
    "compute_ms DOUBLE, updated_at TIMESTAMP",
    "gold.sentiment_trends": "day DATE, category STRING, positive BIGINT, neutral BIGINT, negative BIGINT, "
    "average_score DOUBLE, submissions BIGINT",
    "gold.user_insights": "user_id STRING, submissions BIGINT, average_score DOUBLE, negative_share DOUBLE, "
    "top_intent STRING, average_importance DOUBLE, last_submission_at TIMESTAMP",
    "gold.model_metrics": "model_version STRING, analyses BIGINT, average_sentiment_confidence DOUBLE, "
    "average_intent_confidence DOUBLE, average_compute_ms DOUBLE, first_seen TIMESTAMP, last_seen TIMESTAMP",
}


def setup_statements(catalog: str = CATALOG) -> list[str]:
    """CREATE CATALOG/SCHEMA/TABLE IF NOT EXISTS statements, in dependency order."""
    stmts = [f"CREATE CATALOG IF NOT EXISTS {catalog}"]
    stmts += [f"CREATE SCHEMA IF NOT EXISTS {catalog}.{s}" for s in SCHEMAS]
    stmts += [f"CREATE TABLE IF NOT EXISTS {catalog}.{name} ({cols}) USING DELTA" for name, cols in TABLES.items()]
    stmts.append(f"CREATE VOLUME IF NOT EXISTS {catalog}.gold.models")
    return stmts
