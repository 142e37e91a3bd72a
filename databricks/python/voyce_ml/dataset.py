"""The project's labelled feedback sentences (`voyce_ml/data/{train,test}.txt`).

Why plain text with `|` separators: the sets are written and reviewed by people in pull requests,
one sentence a line, so the format must diff well and need no tooling. `load()` validates every
label so a typo in a label fails the training job instead of silently adding a class.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

INTENTS = ("bug_report", "feature_request", "complaint", "praise", "question", "other")
EMOTIONS = ("joy", "gratitude", "anger", "frustration", "sadness", "fear", "surprise", "neutral")
SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    emotion: str
    sentiment: str


def _default_path(split: str) -> Path:
    return Path(str(resources.files("voyce_ml") / "data" / f"{split}.txt"))


def asr_rendering_path(pass_no: int = 0) -> Path:
    """Where the Whisper transcripts of rendering pass `pass_no` of train.txt live (made by voyce_bench.asr_augment)."""
    return _default_path("train_asr" if pass_no == 0 else f"train_asr_{pass_no}")


def asr_rendering_paths() -> list[Path]:
    """Every packaged ASR rendering of train.txt, pass 0 first."""
    numbered = sorted(Path(str(resources.files("voyce_ml") / "data")).glob("train_asr_*.txt"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    first = asr_rendering_path(0)
    return ([first] if first.exists() else []) + numbered


def parse_line(line: str, source: Path, number: int) -> Example:
    """One `intent|emotion|sentiment|text` line; ValueError naming the file and line on a bad label."""
    parts = line.split("|", 3)
    if len(parts) != 4:
        raise ValueError(f"{source}:{number}: expected intent|emotion|sentiment|text")
    intent, emotion, sentiment, text = (p.strip() for p in parts)
    for value, allowed, kind in ((intent, INTENTS, "intent"), (emotion, EMOTIONS, "emotion"), (sentiment, SENTIMENTS, "sentiment")):
        if value not in allowed:
            raise ValueError(f"{source}:{number}: unknown {kind} {value!r}")
    return Example(text=text, intent=intent, emotion=emotion, sentiment=sentiment)


def load(split: str = "train", path: Optional[Path] = None) -> list[Example]:
    """Examples of `split` ('train' or 'test'), or of the file at `path`."""
    source = path or _default_path(split)
    examples: list[Example] = []
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        examples.append(parse_line(line, source, number))
    return examples
