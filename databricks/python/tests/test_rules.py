"""The rule-based parts: action items, importance formula, PII redaction, keyword candidates."""

from __future__ import annotations

import numpy as np

from voyce_ml import action_items, importance, keywords, pii


def test_action_items_rewrite_and_priority() -> None:
    items = action_items.extract(
        "The app crashes when I upload. Could you please add dark mode? I wish there was a search box. How do I log out? It is nice."
    )
    assert items == [
        {"text": "Add dark mode", "priority": "low"},
        {"text": "Add a search box", "priority": "low"},
    ]
    assert action_items.extract("Please fix the login, I can't work.")[0] == {"text": "Fix the login, I can't work", "priority": "high"}
    assert action_items.extract("") == []


def test_importance_formula() -> None:
    assert importance.score("praise", 0.9, 0.8, "love it") < 0.1
    high = importance.score("bug_report", 1.0, -0.9, "urgent: all users lost their data, can't pay")
    assert high == round(0.35 + 0.30 * 0.9 + 0.20 + 0.15, 3)
    assert importance.score("bug_report", 1.0, -1.0, "") == 0.0


def test_pii_redaction() -> None:
    text = "mail jane.doe@example.com, call +1 (555) 123-4567, card 4111 1111 1111 1111, order 1234567890123"
    out = pii.redact(text)
    assert "[email]" in out and "[phone]" in out and "[card]" in out
    assert "jane" not in out and "4111" not in out
    assert pii.enabled({"redact_pii": "true"}) and not pii.enabled({})


def test_keyword_candidates_and_mmr() -> None:
    cands = keywords.candidates("The checkout page crashes. The checkout page is slow, please fix")
    assert cands[0] == "checkout" and "checkout page crashes" in cands and "the" not in cands
    vecs = np.eye(3, dtype=np.float32)
    assert keywords.mmr(np.array([1.0, 0.5, 0.0], dtype=np.float32), vecs, 2) == [0, 1]


def test_redact_transcript_masks_text_and_words() -> None:
    out = pii.redact_transcript({"text": "mail me at a.b@example.com", "words": [{"word": "a.b@example.com", "start": 0, "end": 1}]})
    assert out["text"] == "mail me at [email]" and out["words"][0]["word"] == "[email]" and out["pii_redacted"] is True
