"""Ingestion and gold aggregates on a local-mode SparkSession (skipped when pyspark is not installed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

import shutil  # noqa: E402

pyspark = pytest.importorskip("pyspark")
if not (shutil.which("java") or __import__("os").environ.get("JAVA_HOME")):
    pytest.skip("pyspark needs Java 17", allow_module_level=True)

from voyce_ml import catalog, ingestion  # noqa: E402


def _row(sid: str, user: str, updated: str, label: str, score: float, intent: str, version: str = "voyce-clf-a", day: str = "2026-11-20") -> dict[str, Any]:
    return {
        "id": sid, "userId": user, "status": "completed", "title": "t", "category": "bug", "language": "en",
        "context": {"client": "web"}, "createdAt": f"{day}T10:00:00Z", "updatedAt": updated,
        "transcription": {"text": f"text {sid}", "language": "en", "confidence": 0.8, "model": "faster-whisper-tiny.en", "modelVersion": "1.2.1"},
        "analysis": {"sentiment": {"label": label, "score": score, "confidence": 0.9},
                     "emotions": [{"label": "joy" if score > 0 else "anger", "score": 0.7}],
                     "intent": {"label": intent, "confidence": 0.8}, "actionItems": [{"text": "Fix it", "priority": "high"}],
                     "keywords": ["checkout"], "importanceScore": 0.5, "modelVersion": version, "computeMs": 100.0},
    }


ROWS = [
    _row("s1", "u1", "2026-11-20T10:00:00Z", "negative", -0.8, "bug_report", "voyce-clf-old"),
    _row("s1", "u1", "2026-11-21T10:00:00Z", "negative", -0.6, "bug_report"),  # re-analysed: the newer row wins
    _row("s2", "u1", "2026-11-20T11:00:00Z", "positive", 0.9, "praise"),
    _row("s3", "u2", "2026-11-21T09:00:00Z", "neutral", 0.0, "question", day="2026-11-21"),
    {**_row("s4", "u2", "2026-11-21T09:30:00Z", "neutral", 0.0, "other", day="2026-11-21"), "analysis": None, "transcription": None},
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("warehouse")
    session = (SparkSession.builder.master("local[1]").appName("voyce-tests").config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.sql.warehouse.dir", str(warehouse))
               .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    yield session
    session.stop()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("export") / "submissions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS))
    return str(path)


def test_silver_keeps_the_latest_row_per_submission(spark: Any, source: str) -> None:
    df = ingestion.read_submissions(spark, source)
    assert ingestion.bronze_metadata(df).count() == 5
    enriched = {r["submission_id"]: r for r in ingestion.silver_enriched(df).collect()}
    assert set(enriched) == {"s1", "s2", "s3"}  # s4 has no analysis yet
    assert enriched["s1"]["sentiment_score"] == -0.6 and enriched["s1"]["model_version"] == "voyce-clf-a"
    assert enriched["s2"]["top_emotion"] == "joy" and enriched["s2"]["action_item_count"] == 1
    assert ingestion.silver_transcriptions(df).count() == 3


def test_gold_aggregates(spark: Any, source: str) -> None:
    enriched = ingestion.silver_enriched(ingestion.read_submissions(spark, source))
    trends = [r.asDict() for r in ingestion.sentiment_trends(enriched).collect()]
    assert [(str(t["day"]), t["positive"], t["neutral"], t["negative"], t["submissions"]) for t in trends] == [
        ("2026-11-20", 1, 0, 1, 2), ("2026-11-21", 0, 1, 0, 1)]
    users = {r["user_id"]: r for r in ingestion.user_insights(enriched).collect()}
    assert users["u1"]["submissions"] == 2 and users["u1"]["negative_share"] == 0.5
    assert users["u1"]["top_intent"] == "bug_report" and users["u2"]["top_intent"] == "question"
    metrics = {r["model_version"]: r for r in ingestion.model_metrics(enriched).collect()}
    assert set(metrics) == {"voyce-clf-a"} and metrics["voyce-clf-a"]["analyses"] == 3


def test_ingest_into_tables_twice_is_idempotent_for_silver(spark: Any, source: str) -> None:
    for schema in catalog.SCHEMAS:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema}")
    first = ingestion.ingest(spark, source, catalog="spark_catalog")
    second = ingestion.ingest(spark, source, catalog="spark_catalog")
    assert first["silver.enriched_metadata"] == second["silver.enriched_metadata"] == 3
    assert second["gold.model_metrics"] == 1 and spark.table("spark_catalog.bronze.metadata").count() == 10
