"""The multilingual held-out set (`data/test_multilingual.txt`): `language|intent|emotion|sentiment|text`.

Hand-written for this project in German, French, Spanish, Portuguese and Italian (no translation service);
the espeak-ng voice that speaks each language is part of the set's definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from . import dataset

# espeak-ng voice per ISO 639-1 code (espeak names French "fr-fr"; "pt" is European Portuguese).
VOICES = {"de": "de", "fr": "fr-fr", "es": "es", "pt": "pt", "it": "it", "nl": "nl", "pl": "pl"}


@dataclass(frozen=True)
class SpokenExample:
    language: str
    example: dataset.Example


def train_path() -> Path:
    """The multilingual training examples (`data/train_multilingual.txt`, same format, disjoint from the test set)."""
    return Path(str(resources.files("voyce_ml") / "data" / "train_multilingual.txt"))


def load(path: Optional[Path] = None) -> list[SpokenExample]:
    """Every line of the set (default: the held-out test set), labels validated like the English sets; ValueError
    names the bad line."""
    source = path or Path(str(resources.files("voyce_ml") / "data" / "test_multilingual.txt"))
    out: list[SpokenExample] = []
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        language, _, rest = line.partition("|")
        if language not in VOICES:
            raise ValueError(f"{source}:{number}: unknown language {language!r}; known: {', '.join(VOICES)}")
        out.append(SpokenExample(language, dataset.parse_line(rest, source, number)))
    return out
