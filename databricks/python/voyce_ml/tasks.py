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
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from . import pii
from .errors import TaskInputError

VOICE_PROCESSING = "02_voice_processing"
SENTIMENT_ANALYSIS = "03_sentiment_analysis"
BATCH_INFERENCE = "06_batch_inference"
MODEL_TRAINING = "05_model_training"
#: Organisation analyzers kept warm per process (each shares the default analyzer's encoder).
MAX_ORG_ANALYZERS = 8

_transcribers: dict[str, Any] = {}
_sentiment: Any = None
_analyzer: Any = None
_org_analyzers: "OrderedDict[tuple[str, str], Any]" = OrderedDict()


def transcriber(model: Optional[str] = None) -> Any:
    """The process's Whisper model of that name or folder (default: the English model), loaded on first use."""
    from .transcription import Transcriber
    from .whisper_models import TINY_EN, spec

    key = model or TINY_EN
    if key not in _transcribers:
        _transcribers[key] = Transcriber(spec(key))
    return _transcribers[key]


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


def analyzer_for(params: Mapping[str, str]) -> Any:
    """The analyzer a run asks for: `model_path` (an organisation's artifact, checked against `model_sha256`
    when given) or the process's default. Organisation analyzers reuse the default's encoder when they were
    trained on the same one, so switching models costs one JSON load, not a second encoder."""
    path = str(params.get("model_path") or "").strip()
    if not path:
        return analyzer()
    sha = str(params.get("model_sha256") or "").strip().lower()
    key = (path, sha)
    if key in _org_analyzers:
        _org_analyzers.move_to_end(key)
        return _org_analyzers[key]
    from .analysis import Analyzer
    from .org_model_task import load_checked

    artifact = load_checked(Path(path), sha or None)
    base = analyzer()
    shared = base.embedder if base.artifact.embedding_model == artifact.embedding_model else None
    loaded = Analyzer(Path(path), embedder=shared)
    _org_analyzers[key] = loaded
    while len(_org_analyzers) > MAX_ORG_ANALYZERS:
        _org_analyzers.popitem(last=False)
    return loaded


def load_models() -> dict[str, float]:
    """Load Whisper (+ its VAD), VADER and the analyzer up front (warm workers); load times in ms for the logs."""
    timings: dict[str, float] = {}
    from .whisper_models import BASE, TINY_EN

    for name, loader in (
        ("whisper_load_ms", lambda: transcriber(TINY_EN).warm_up()),
        ("whisper_base_load_ms", lambda: transcriber(BASE).warm_up()),
        ("vader_load_ms", sentiment_analyzer), ("analysis_load_ms", analyzer),
    ):
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
    """02_voice_processing: download `audio_url`, transcribe it. Params: submission_id, audio_url,
    language? (ISO 639-1; detected when absent), model? (see whisper_models.py)."""
    from .audio_fetch import downloaded
    from .transcription import load_audio
    from .whisper_models import policy

    _required(params, "submission_id")
    url = _required(params, "audio_url")
    language: Optional[str] = (params.get("language") or "").strip() or None
    chosen = policy(params.get("model"))
    t0 = time.perf_counter()
    with downloaded(url) as path:
        t1 = time.perf_counter()
        transcript, model = _transcribe(load_audio(path), language, chosen)
        t2 = time.perf_counter()
    result = transcript.to_dict()
    if pii.enabled(params):
        result = pii.redact_transcript(result)
    result["model"] = {**model.model_info, "policy": chosen}
    result["timings"] = {"download_ms": round((t1 - t0) * 1000), "compute_ms": round((t2 - t1) * 1000)}
    return result


def _transcribe(samples: Any, language: Optional[str], chosen: str) -> tuple[Any, Any]:
    """Transcript and the model that made it. `auto`: base detects, tiny.en decodes confident English.
    A given non-English language always goes to a multilingual model."""
    from .whisper_models import AUTO, BASE, CONFIDENT_ENGLISH, TINY_EN

    english = (language or "").split("-")[0].lower() == "en"
    if chosen == TINY_EN and (not language or english):
        return transcriber(TINY_EN).transcribe(samples, language), transcriber(TINY_EN)
    if chosen == AUTO:
        if english:
            return transcriber(TINY_EN).transcribe(samples, language), transcriber(TINY_EN)
        if not language:
            detection = transcriber(BASE).detect(samples)
            if detection.language == "en" and detection.probability >= CONFIDENT_ENGLISH:
                return transcriber(TINY_EN).transcribe(samples, None, detection), transcriber(TINY_EN)
            return transcriber(BASE).transcribe(samples, None, detection), transcriber(BASE)
    multilingual = transcriber(chosen if chosen not in (AUTO, TINY_EN) else BASE)
    return multilingual.transcribe(samples, language), multilingual


def sentiment_analysis(params: Mapping[str, str]) -> dict[str, Any]:
    """03_sentiment_analysis: the full analysis of `text` (may be empty: no speech). Params: submission_id,
    text, language? (the transcript's, ISO 639-1; detected from the text when absent), redact_pii?, model_path? and
    model_sha256? (an organisation's artifact; default: the process's model). The output shape is described in analysis.py and databricks/README.md."""
    _required(params, "submission_id")
    if "text" not in params:
        raise TaskInputError("missing required parameter 'text'")
    text = str(params["text"])
    if pii.enabled(params):
        text = pii.redact(text)
    return analyzer_for(params).analyze(text, (params.get("language") or "").strip() or None)


def batch_inference(params: Mapping[str, str]) -> dict[str, Any]:
    """06_batch_inference: re-analyse many transcripts with the current model (or `model_path`). See batch.py."""
    from .batch import run_batch

    return run_batch(params, analyzer_for(params))


def model_training(params: Mapping[str, str]) -> dict[str, Any]:
    """05_model_training. With `org_id`: an organisation's model (org_model_task.py), trained over the encoder
    this process already holds when the base artifact uses it. Without: the default model, into `output_dir`."""
    if str(params.get("org_id") or "").strip():
        from .embedding_backends import embedder_for
        from .org_model_task import train_org_model

        def embedder_of(model_id: str) -> Any:
            loaded = _analyzer
            return loaded.embedder if loaded is not None and loaded.artifact.embedding_model == model_id else embedder_for(model_id)

        return train_org_model(params, embedder_of)
    from . import training

    artifact, path = training.train(Path(_required(params, "output_dir")))
    return {"version": artifact.version, "path": str(path), "metrics": artifact.metrics}


TASKS: dict[str, Callable[[Mapping[str, str]], dict[str, Any]]] = {
    VOICE_PROCESSING: voice_processing,
    SENTIMENT_ANALYSIS: sentiment_analysis,
    BATCH_INFERENCE: batch_inference,
    MODEL_TRAINING: model_training,
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
