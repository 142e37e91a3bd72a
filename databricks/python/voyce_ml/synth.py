"""Synthetic test audio with espeak-ng and sox (Debian packages), for tests and the benchmark.

Real speech would be better, but nothing may be downloaded; espeak-ng speech is deterministic,
and tiny.en transcribes it at roughly 10 % WER.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SAMPLE_SENTENCES = [
    "the checkout page crashes when I press the pay button",
    "I love the new dashboard because it loads quickly",
    "please add a dark mode to the settings screen",
    "the search results are slow and often wrong",
    "my order history disappeared after the last update",
    "thank you for fixing the login problem so fast",
]


def require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(f"{tool} not found on PATH (apt-get install {tool})")
    return found


def speak(text: str, out: Path, words_per_minute: int = 150, voice: str | None = None) -> Path:
    """Write `text` spoken by espeak-ng (in `voice`, e.g. "de"; default its English) to a WAV file (22.05 kHz mono)."""
    chosen = ["-v", voice] if voice else []
    subprocess.run([require("espeak-ng"), *chosen, "-s", str(words_per_minute), "-w", str(out), text], check=True)
    return out


def silence(out: Path, seconds: float = 5.0) -> Path:
    """Write `seconds` of digital silence (16 kHz mono WAV) with sox."""
    subprocess.run([require("sox"), "-n", "-r", "16000", "-c", "1", str(out), "trim", "0.0", str(seconds)], check=True)
    return out


def speech_of_length(out: Path, seconds: float) -> tuple[Path, str]:
    """Speak sample sentences until the clip is about `seconds` long; returns (path, reference text)."""
    words_per_second = 150 / 60
    target_words = max(1, int(seconds * words_per_second * 0.9))
    said: list[str] = []
    i = 0
    while sum(len(s.split()) for s in said) < target_words:
        said.append(SAMPLE_SENTENCES[i % len(SAMPLE_SENTENCES)])
        i += 1
    text = ". ".join(said) + "."
    return speak(text, out), text
