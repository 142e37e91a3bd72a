"""Batch inference as a pandas UDF (spark_inference.py) on a local-mode SparkSession: equals the direct analyzer call."""

from __future__ import annotations

import json
import shutil
from typing import Any, Iterator

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
if not (shutil.which("java") or __import__("os").environ.get("JAVA_HOME")):
    pytest.skip("pyspark needs Java 17", allow_module_level=True)

from voyce_ml import spark_inference, tasks  # noqa: E402

TEXTS = [
    "The checkout page crashes every time I press the pay button. Please fix this asap!",
    "love the new dashboard, thanks team",
    "",
    "could you add a dark mode to the settings screen",
    "oh great another update that logs me out mid sentence",
    "My card number is 4111 1111 1111 1111, why was I charged twice?",
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the UDF's Python workers need this venv's packages
    session = (SparkSession.builder.master("local[1]").appName("voyce-udf-tests").config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "1").config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("wh")))
               # small Arrow batches, so the UDF really sees several batches
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "4").getOrCreate())
    yield session
    session.stop()


def _direct(text: str) -> dict[str, Any]:
    return json.loads(spark_inference.analysis_json(tasks.analyzer().analyze(text)))


def test_udf_equals_the_direct_analyzer_call(spark: Any) -> None:
    rows = [(f"s{i}", t) for i, t in enumerate(TEXTS)] + [("s-null", None)]
    df = spark.createDataFrame(rows, "submission_id STRING, text STRING").repartition(2)
    out = {r["submission_id"]: r for r in spark_inference.with_analysis(df, batch_size=3).collect()}
    assert len(out) == len(rows)
    assert out["s-null"]["analysis_json"] is None and out["s-null"]["analysis"] is None
    for i, text in enumerate(TEXTS):
        got = json.loads(out[f"s{i}"]["analysis_json"])
        want = _direct(text)
        assert got == want, text
        struct = out[f"s{i}"]["analysis"]  # the parsed, typed column carries the same values
        assert struct["sentiment"]["label"] == want["sentiment"]["label"]
        assert struct["intent"]["label"] == want["intent"]["label"]
        assert list(struct["keywords"]) == want["keywords"]
        assert struct["model_version"] == tasks.analyzer().model_version


def test_udf_redacts_pii_when_asked_and_writes_a_table(spark: Any) -> None:
    from voyce_ml import pii

    df = spark.createDataFrame([("s5", TEXTS[5])], "submission_id STRING, text STRING")
    summary = spark_inference.run_spark_batch(spark, df, "udf_results", redact_pii=True)
    assert summary == {"target_table": "udf_results", "rows": 1}
    row = spark.table("udf_results").collect()[0]
    assert json.loads(row["analysis_json"]) == _direct(pii.redact(TEXTS[5]))
    assert row["model_version"] == tasks.analyzer().model_version and row["analyzed_at"] is not None


def test_udf_body_without_spark_matches_batch_06() -> None:
    import pandas as pd

    from voyce_ml import batch

    got = list(spark_inference.analyze_series_batches(iter([pd.Series(TEXTS[:3]), pd.Series(TEXTS[3:])]), batch_size=2))
    flat = [json.loads(x) for s in got for x in s]
    items = json.dumps([{"submission_id": str(i), "text": t} for i, t in enumerate(TEXTS)])
    via06 = batch.run_batch({"items": items, "batch_size": "4"}, tasks.analyzer())["results"]
    assert flat == [json.loads(spark_inference.analysis_json(r["analysis"])) for r in via06]


def test_06_notebook_spark_path_and_default_path(spark: Any) -> None:
    from .test_notebooks import run_notebook

    spark.createDataFrame([("n1", TEXTS[0]), ("n2", TEXTS[1])], "submission_id STRING, text STRING").write.mode("overwrite").saveAsTable("nb_source")
    out = run_notebook("06_batch_inference", {"spark_target_table": "nb_results", "spark_source_table": "nb_source", "batch_size": "2"}, spark=spark)
    assert out == {"model_version": tasks.analyzer().model_version, "target_table": "nb_results", "rows": 2}
    got = {r["submission_id"]: json.loads(r["analysis_json"]) for r in spark.table("nb_results").collect()}
    assert got == {"n1": _direct(TEXTS[0]), "n2": _direct(TEXTS[1])}
    # Without the Spark widgets the notebook is the jobs-runtime task, unchanged.
    items = json.dumps([{"submission_id": "a", "text": TEXTS[1]}])
    assert run_notebook("06_batch_inference", {"items": items})["results"][0]["submission_id"] == "a"


def test_stale_transcripts_are_those_analysed_with_another_version(spark: Any) -> None:
    for schema in ("silver",):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema}")
    spark.createDataFrame([("a", "one"), ("b", "two"), ("c", "three")], "submission_id STRING, text STRING") \
        .write.mode("overwrite").saveAsTable("spark_catalog.silver.transcriptions")
    spark.createDataFrame([("a", "voyce-new"), ("b", "voyce-old")], "submission_id STRING, model_version STRING") \
        .write.mode("overwrite").saveAsTable("spark_catalog.silver.enriched_metadata")
    stale = spark_inference.stale_transcripts(spark, "voyce-new", catalog="spark_catalog")
    assert sorted((r["submission_id"], r["text"]) for r in stale.collect()) == [("b", "two"), ("c", "three")]
