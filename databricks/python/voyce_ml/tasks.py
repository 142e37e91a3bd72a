"""The job tasks, keyed by notebook name: what a Databricks notebook and the local runtime both run.

Parameters arrive as strings (Databricks `base_parameters` / widgets). Results are JSON-serialisable
dicts; the notebook passes `json.dumps(result)` to `dbutils.notebook.exit`, and the local runtime
returns the same string as `notebook_output.result`.

Models are process-wide singletons, loaded once per process: a notebook loads the one it needs on
first use (the 03/06 notebooks never import faster-whisper), a runtime worker loads all of them at
start (`load_models()`): Whisper, VADER, the MiniLM encoder and the classifier artifact.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Mapping, Optional

from . import pii
from .errors import TaskInputError

VOICE_PROCESSING = "02_voice_processing"
SENTIMENT_ANALYSIS = "03_sentiment_analysis"
BATCH_INFERENCE = "06_batch_inference"

_transcriber: Any = None
_sentiment: Any = None
_analyzer: Any = None


def transcriber() -> Any:
    """The process's Whisper model, loaded on first use."""
    global _transcriber
    if _transcriber is None:
        from .transcription import Transcriber

        _transcriber = Transcriber()
    return _transcriber


def sentiment_analyzer() -> Any:
    """The process's VADER analyzer, loaded on first use (needs no Whisper)."""
    global _sentiment
    if _sentiment is None:
        from .sentiment import SentimentAnalyzer

        _sentiment = SentimentAnalyzer()
    return _sentiment


def analyzer() -> Any:
    """The process's full analyzer (MiniLM encoder + classifier heads), loaded and warmed on first use."""
    global _analyzer
    if _analyzer is None:
        from .analysis import Analyzer

        loaded = Analyzer()
        loaded.warm_up()
        _analyzer = loaded
    return _analyzer


def load_models() -> dict[str, float]:
    """Load Whisper (+ its VAD), VADER and the analyzer up front (warm workers); load times in ms for the logs."""
    timings: dict[str, float] = {}
    for name, loader in (("whisper_load_ms", lambda: transcriber().warm_up()), ("vader_load_ms", sentiment_analyzer), ("analysis_load_ms", analyzer)):
        t0 = time.perf_counter()
        loader()
        timings[name] = round((time.perf_counter() - t0) * 1000, 1)
    return timings


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if value is None or not str(value).strip():
        raise TaskInputError(f"missing required parameter {name!r}")
    return str(value)


def voice_processing(params: Mapping[str, str]) -> dict[str, Any]:
    """02_voice_processing: download `audio_url`, transcribe it. Params: submission_id, audio_url, language?"""
    from .audio_fetch import downloaded

    _required(params, "submission_id")
    url = _required(params, "audio_url")
    language: Optional[str] = (params.get("language") or "").strip() or None
    model = transcriber()
    t0 = time.perf_counter()
    with downloaded(url) as path:
        t1 = time.perf_counter()
        transcript = model.transcribe(path, language=language)
        t2 = time.perf_counter()
    result = transcript.to_dict()
    if pii.enabled(params):
        result = pii.redact_transcript(result)
    result["model"] = model.model_info
    result["timings"] = {"download_ms": round((t1 - t0) * 1000), "compute_ms": round((t2 - t1) * 1000)}
    return result


def sentiment_analysis(params: Mapping[str, str]) -> dict[str, Any]:
    """03_sentiment_analysis: the full analysis of `text` (may be empty: no speech). Params: submission_id,
    text, redact_pii? The output shape is described in analysis.py and databricks/README.md."""
    _required(params, "submission_id")
    if "text" not in params:
        raise TaskInputError("missing required parameter 'text'")
    text = str(params["text"])
    if pii.enabled(params):
        text = pii.redact(text)
    return analyzer().analyze(text)


def batch_inference(params: Mapping[str, str]) -> dict[str, Any]:
    """06_batch_inference: re-analyse many transcripts with the current model. See batch.py."""
    from .batch import run_batch

    return run_batch(params, analyzer())


TASKS: dict[str, Callable[[Mapping[str, str]], dict[str, Any]]] = {
    VOICE_PROCESSING: voice_processing,
    SENTIMENT_ANALYSIS: sentiment_analysis,
    BATCH_INFERENCE: batch_inference,
}


def notebook_name(notebook_path: str) -> str:
    """`/Workspace/voyce/notebooks/02_voice_processing(.py)` -> `02_voice_processing`."""
    name = notebook_path.rstrip("/").rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".py") else name


def resolve(notebook_path: str) -> str:
    """Notebook name for a path, or TaskInputError naming the known notebooks."""
    name = notebook_name(notebook_path)
    if name not in TASKS:
        raise TaskInputError(f"unknown notebook {notebook_path!r}; known: {', '.join(sorted(TASKS))}")
    return name


def run_task(notebook_path: str, params: Mapping[str, str]) -> dict[str, Any]:
    """Dispatch by notebook name (any path ending in it) and run the task."""
    return TASKS[resolve(notebook_path)](params)
