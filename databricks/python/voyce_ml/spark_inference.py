"""Batch inference on Spark: the analyzer as a pandas UDF over a transcript column (06, Spark path).

Why a pandas UDF: Spark hands each Python worker Arrow batches of the column, so the analyzer (MiniLM
encoder + classifier heads) is loaded once per worker process and embeds `batch_size` transcripts per
encoder call, exactly like `batch.run_batch` (06 on the jobs runtime) and `Analyzer.analyze_many` (03).
The same code gives the same analysis: `tests/test_spark_inference.py` checks the UDF's output equals
a direct `Analyzer.analyze` call for every row.

Output: one JSON string per row, the 03 analysis without `timings` (those describe a batch, not a
transcript); `with_analysis()` also parses it into a typed struct column (`ANALYSIS_SCHEMA`) for
tables and SQL. A null transcript gives a null analysis; an empty one the "no speech" analysis.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Optional

ANALYSIS_SCHEMA = (
    "sentiment STRUCT<label: STRING, score: DOUBLE, confidence: DOUBLE>, "
    "emotions ARRAY<STRUCT<label: STRING, score: DOUBLE>>, "
    "intent STRUCT<label: STRING, confidence: DOUBLE>, "
    "action_items ARRAY<STRUCT<text: STRING, priority: STRING>>, "
    "keywords ARRAY<STRING>, importance_score DOUBLE, model_version STRING"
)


def analysis_json(analysis: dict[str, Any]) -> str:
    """The analysis as the UDF returns it: without per-batch timings, keys sorted (stable output)."""
    return json.dumps({k: v for k, v in analysis.items() if k != "timings"}, sort_keys=True)


def analyze_series_batches(batches: Iterator[Any], artifact_path: Optional[str] = None, batch_size: int = 64,
                           redact_pii: bool = False) -> Iterator[Any]:
    """The UDF body (plain pandas, testable without Spark): Series of transcripts in, Series of JSON out."""
    import pandas as pd

    from . import pii, tasks

    if artifact_path:
        from pathlib import Path

        from .analysis import Analyzer

        analyzer = _cached_analyzer(Path(artifact_path), Analyzer)
    else:
        analyzer = tasks.analyzer()  # the process-wide singleton, as 03/06 use
    for series in batches:
        texts = list(series)
        live = [i for i, t in enumerate(texts) if isinstance(t, str)]
        out: list[Optional[str]] = [None] * len(texts)
        for start in range(0, len(live), max(1, batch_size)):
            idx = live[start : start + batch_size]
            docs = [pii.redact(texts[i]) if redact_pii else texts[i] for i in idx]
            for i, analysis in zip(idx, analyzer.analyze_many(docs)):
                out[i] = analysis_json(analysis)
        yield pd.Series(out, index=series.index, dtype=object)


_analyzers: dict[str, Any] = {}


def _cached_analyzer(path: Any, cls: Any) -> Any:
    key = str(path)
    if key not in _analyzers:
        loaded = cls(artifact_path=path)
        loaded.warm_up()
        _analyzers[key] = loaded
    return _analyzers[key]


def make_analyze_udf(artifact_path: Optional[str] = None, batch_size: int = 64, redact_pii: bool = False) -> Any:
    """A `pandas_udf` (iterator of Series → iterator of Series, StringType) that analyses a transcript column.

    `artifact_path`: a model.json every executor can read (e.g. a `/Volumes/voyce_catalog/gold/models/...`
    path); default: the packaged artifact / `VOYCE_MODEL_PATH`, as the 03 task uses.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    def analyze(batches: Iterator[Any]) -> Iterator[Any]:
        yield from analyze_series_batches(batches, artifact_path, batch_size, redact_pii)

    # Spark picks the UDF kind from real type hints (this module's are strings: `from __future__ import annotations`).
    analyze.__annotations__ = {"batches": Iterator[pd.Series], "return": Iterator[pd.Series]}
    return pandas_udf(analyze, "string")  # type: ignore[call-overload]


def with_analysis(df: Any, text_col: str = "text", out_col: str = "analysis", artifact_path: Optional[str] = None,
                  batch_size: int = 64, redact_pii: bool = False) -> Any:
    """`df` plus `<out_col>_json` (the UDF's JSON) and `<out_col>` (the same parsed into ANALYSIS_SCHEMA)."""
    from pyspark.sql import functions as F

    udf = make_analyze_udf(artifact_path, batch_size, redact_pii)
    with_json = df.withColumn(f"{out_col}_json", udf(F.col(text_col)))
    return with_json.withColumn(out_col, F.from_json(F.col(f"{out_col}_json"), ANALYSIS_SCHEMA))


def stale_transcripts(spark: Any, model_version: str, catalog: str = "voyce_catalog") -> Any:
    """Transcripts whose analysis was made by another model version (or that have none): what 06 re-analyses."""
    from pyspark.sql import functions as F

    t = spark.table(f"{catalog}.silver.transcriptions").select("submission_id", "text")
    e = spark.table(f"{catalog}.silver.enriched_metadata").select("submission_id", F.col("model_version").alias("analysed_with"))
    joined = t.join(e, "submission_id", "left")
    return joined.where(F.col("analysed_with").isNull() | (F.col("analysed_with") != model_version)).select("submission_id", "text")


def run_spark_batch(spark: Any, source: Any, target_table: str, text_col: str = "text", artifact_path: Optional[str] = None,
                    batch_size: int = 64, redact_pii: bool = False) -> dict[str, Any]:
    """Analyse `source` (a DataFrame with submission_id and a transcript column) into a Delta table; a summary back."""
    from pyspark.sql import functions as F

    out = with_analysis(source, text_col, "analysis", artifact_path, batch_size, redact_pii).select(
        "submission_id", "analysis_json", "analysis.*", F.current_timestamp().alias("analyzed_at"))
    out.write.mode("append").saveAsTable(target_table)
    return {"target_table": target_table, "rows": source.count()}  # counting `out` would run the UDF again
