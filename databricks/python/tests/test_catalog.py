"""00_unity_catalog_setup DDL: every table of ARCHITECTURE.md, idempotent."""

from voyce_ml import catalog


def test_setup_statements_cover_the_architecture() -> None:
    stmts = catalog.setup_statements()
    for table in ("bronze.audio_files", "bronze.metadata", "silver.transcriptions", "silver.enriched_metadata",
                  "gold.sentiment_trends", "gold.user_insights", "gold.model_metrics"):
        assert f"CREATE TABLE IF NOT EXISTS voyce_catalog.{table} (" in "\n".join(stmts)
    assert stmts[0] == "CREATE CATALOG IF NOT EXISTS voyce_catalog" and all("IF NOT EXISTS" in s for s in stmts)
