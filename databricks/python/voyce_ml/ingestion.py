"""01_data_ingestion and the gold aggregates, as PySpark DataFrame transformations.

Input: JSON lines of submissions in the API's `submission` shape (`GET /api/analytics/export?format=json`,
or the same rows dumped from PostgreSQL), each with optional nested `transcription` and `analysis`.
Why an explicit schema: inference on a day with no analyses would drop the `analysis` columns and
break the silver/gold code; with the schema every batch has every column.

Layers: bronze.metadata keeps each row as received (plus the raw JSON); silver keeps the latest
version per submission (by updatedAt), flattened; gold aggregates silver. Functions take and return
DataFrames (tested in local mode); `ingest` wires them to Unity Catalog tables on Databricks.
"""

from __future__ import annotations

from typing import Any

from .catalog import CATALOG

SUBMISSION_SCHEMA = (
    "id STRING, userId STRING, status STRING, title STRING, category STRING, language STRING, "
    "context MAP<STRING,STRING>, contentType STRING, sizeBytes LONG, durationMs LONG, "
    "createdAt TIMESTAMP, updatedAt TIMESTAMP, "
    "transcription STRUCT<text: STRING, language: STRING, confidence: DOUBLE, model: STRING, modelVersion: STRING>, "
    "analysis STRUCT<sentiment: STRUCT<label: STRING, score: DOUBLE, confidence: DOUBLE>, "
    "emotions: ARRAY<STRUCT<label: STRING, score: DOUBLE>>, intent: STRUCT<label: STRING, confidence: DOUBLE>, "
    "actionItems: ARRAY<STRUCT<text: STRING, priority: STRING>>, keywords: ARRAY<STRING>, importanceScore: DOUBLE, "
    "modelVersion: STRING, computeMs: DOUBLE>"
)


def read_submissions(spark: Any, path: str) -> Any:
    return spark.read.schema(SUBMISSION_SCHEMA).json(path)


def _latest(df: Any) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("id").orderBy(F.col("updatedAt").desc_nulls_last())
    return df.withColumn("_rank", F.row_number().over(w)).filter("_rank = 1").drop("_rank")


def from_bronze(bronze: Any) -> Any:
    """The submissions kept in bronze.metadata (its `raw` JSON), back in the input shape."""
    from pyspark.sql import functions as F

    return bronze.select(F.from_json("raw", SUBMISSION_SCHEMA).alias("r")).select("r.*")


def bronze_metadata(df: Any) -> Any:
    from pyspark.sql import functions as F

    return df.select(
        F.col("id").alias("submission_id"), F.col("userId").alias("user_id"), "status", "title", "category", "language",
        F.to_json("context").alias("context"), F.col("createdAt").alias("created_at"), F.col("updatedAt").alias("updated_at"),
        F.to_json(F.struct(*df.columns)).alias("raw"), F.current_timestamp().alias("ingested_at"),
    )


def silver_transcriptions(df: Any) -> Any:
    from pyspark.sql import functions as F

    t = _latest(df).filter(F.col("transcription").isNotNull())
    return t.select(
        F.col("id").alias("submission_id"), "transcription.text", "transcription.language", "transcription.confidence",
        "transcription.model", F.col("transcription.modelVersion").alias("model_version"), F.col("updatedAt").alias("updated_at"),
    )


def silver_enriched(df: Any) -> Any:
    from pyspark.sql import functions as F

    a = _latest(df).filter(F.col("analysis").isNotNull())
    return a.select(
        F.col("id").alias("submission_id"), F.col("userId").alias("user_id"), "category", F.col("createdAt").alias("created_at"),
        F.col("analysis.sentiment.label").alias("sentiment"), F.col("analysis.sentiment.score").alias("sentiment_score"),
        F.col("analysis.sentiment.confidence").alias("sentiment_confidence"),
        F.col("analysis.intent.label").alias("intent"), F.col("analysis.intent.confidence").alias("intent_confidence"),
        F.col("analysis.emotions").getItem(0).getField("label").alias("top_emotion"),
        F.col("analysis.keywords").alias("keywords"), F.size(F.coalesce("analysis.actionItems", F.array())).cast("int").alias("action_item_count"),
        F.col("analysis.importanceScore").alias("importance_score"), F.col("analysis.modelVersion").alias("model_version"),
        F.col("analysis.computeMs").alias("compute_ms"), F.col("updatedAt").alias("updated_at"),
    )


def sentiment_trends(enriched: Any) -> Any:
    """Per day and category: counts per sentiment label, mean score."""
    from pyspark.sql import functions as F

    return (
        enriched.withColumn("day", F.to_date("created_at")).groupBy("day", "category")
        .agg(*(F.sum(F.when(F.col("sentiment") == s, 1).otherwise(0)).cast("long").alias(s) for s in ("positive", "neutral", "negative")),
             F.round(F.avg("sentiment_score"), 4).alias("average_score"), F.count("*").alias("submissions"))
        .orderBy("day", "category")
    )


def user_insights(enriched: Any) -> Any:
    """Per user: volume, mean score, share of negative feedback, most frequent intent, mean importance."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    by_intent = enriched.groupBy("user_id", "intent").count()
    w = Window.partitionBy("user_id").orderBy(F.col("count").desc(), F.col("intent"))
    top = by_intent.withColumn("_r", F.row_number().over(w)).filter("_r = 1").select("user_id", F.col("intent").alias("top_intent"))
    stats = enriched.groupBy("user_id").agg(
        F.count("*").alias("submissions"), F.round(F.avg("sentiment_score"), 4).alias("average_score"),
        F.round(F.avg(F.when(F.col("sentiment") == "negative", 1.0).otherwise(0.0)), 4).alias("negative_share"),
        F.round(F.avg("importance_score"), 4).alias("average_importance"), F.max("created_at").alias("last_submission_at"),
    )
    return stats.join(top, "user_id", "left").select("user_id", "submissions", "average_score", "negative_share", "top_intent",
                                                     "average_importance", "last_submission_at")


def model_metrics(enriched: Any) -> Any:
    """Per model version: how many analyses, mean confidences and compute time, first/last use."""
    from pyspark.sql import functions as F

    return enriched.groupBy("model_version").agg(
        F.count("*").alias("analyses"), F.round(F.avg("sentiment_confidence"), 4).alias("average_sentiment_confidence"),
        F.round(F.avg("intent_confidence"), 4).alias("average_intent_confidence"), F.round(F.avg("compute_ms"), 2).alias("average_compute_ms"),
        F.min("updated_at").alias("first_seen"), F.max("updated_at").alias("last_seen"),
    )


def ingest(spark: Any, source_path: str, catalog: str = CATALOG) -> dict[str, int]:
    """Read a JSON-lines export, append bronze, rebuild silver and gold. Returns row counts per table."""
    df = read_submissions(spark, source_path).cache()
    bronze_metadata(df).write.mode("append").saveAsTable(f"{catalog}.bronze.metadata")
    everything = from_bronze(spark.table(f"{catalog}.bronze.metadata"))  # all batches so far, not just this one
    tables = {
        "silver.transcriptions": silver_transcriptions(everything),
        "silver.enriched_metadata": silver_enriched(everything),
    }
    for name, frame in tables.items():
        frame.write.mode("overwrite").option("overwriteSchema", "true").saveAsTable(f"{catalog}.{name}")
    enriched = spark.table(f"{catalog}.silver.enriched_metadata")
    gold = {"gold.sentiment_trends": sentiment_trends(enriched), "gold.user_insights": user_insights(enriched), "gold.model_metrics": model_metrics(enriched)}
    for name, frame in gold.items():
        frame.write.mode("overwrite").option("overwriteSchema", "true").saveAsTable(f"{catalog}.{name}")
    counts = {name: spark.table(f"{catalog}.{name}").count() for name in [*tables, *gold]}
    counts["bronze.metadata (this batch)"] = df.count()
    return counts
