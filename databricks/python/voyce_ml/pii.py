"""Optional PII redaction (e-mail addresses, phone numbers, payment card numbers).

Why here: when `VOYCE_PII_REDACTION=1` (or the task parameter `redact_pii=true`) the transcript is
redacted inside the task, before any model sees it and before the pipeline stores it, so raw PII
never reaches the database. Card numbers must pass the Luhn check (so order ids are left alone);
phone numbers need 8+ digits.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(r"(?<![\w@])\+?\(?\d[\d ().-]{6,}\d\b")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def redact(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = CARD.sub(lambda m: "[card]" if _luhn(re.sub(r"\D", "", m.group())) else m.group(), text)
    return PHONE.sub(lambda m: "[phone]" if len(re.sub(r"\D", "", m.group())) >= 8 else m.group(), text)


def redact_transcript(result: dict) -> dict:
    """A 02_voice_processing result with `text` redacted and the words of redacted spans masked too."""
    out = dict(result)
    out["text"] = redact(str(result.get("text", "")))
    words = []
    for w in result.get("words", []):
        masked = redact(str(w.get("word", "")))
        words.append({**w, "word": masked})
    out["words"] = words
    out["pii_redacted"] = True
    return out


def enabled(params: Mapping[str, str]) -> bool:
    """Task parameter `redact_pii` wins; else the VOYCE_PII_REDACTION setting (default off)."""
    value = params.get("redact_pii") or os.environ.get("VOYCE_PII_REDACTION", "")
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
