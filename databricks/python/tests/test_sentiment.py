import pytest

from voyce_ml import tasks
from voyce_ml.sentiment import MODEL_VERSION, SentimentAnalyzer, confidence_for


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


@pytest.mark.parametrize(
    "text,label",
    [
        ("I love the new dashboard, it is fast and beautiful!", "positive"),
        ("Thank you so much, this works great.", "positive"),
        ("The checkout is terrible, it crashes and I hate it.", "negative"),
        ("This update is awful and broke everything.", "negative"),
        ("The settings page has three tabs.", "neutral"),
        ("I opened the app on Tuesday.", "neutral"),
    ],
)
def test_labels(analyzer: SentimentAnalyzer, text: str, label: str) -> None:
    out = analyzer.analyze(text)
    assert out["label"] == label
    assert -1.0 <= out["score"] <= 1.0
    assert 0.5 <= out["confidence"] <= 1.0


def test_empty_text_is_neutral_with_no_confidence(analyzer: SentimentAnalyzer) -> None:
    assert analyzer.analyze("   ") == {"label": "neutral", "score": 0.0, "confidence": 0.0}


def test_confidence_formula_boundaries() -> None:
    assert confidence_for(0.05, "positive") == 0.5
    assert confidence_for(-1.0, "negative") == 1.0
    assert confidence_for(0.0, "neutral") == 1.0
    assert confidence_for(0.049, "neutral") == pytest.approx(0.51, abs=0.001)


def test_vader_model_version() -> None:
    assert MODEL_VERSION.startswith("vader-")


def test_task_output_shape() -> None:
    out = tasks.run_task("03_sentiment_analysis", {"submission_id": "s1", "text": "I love it"})
    assert out["sentiment"]["label"] == "positive"
    assert out["model_version"].startswith("voyce-clf-")
    assert out["timings"]["compute_ms"] >= 0


def test_missing_parameter_is_clear() -> None:
    with pytest.raises(ValueError, match="submission_id"):
        tasks.run_task("03_sentiment_analysis", {"text": "hi"})
