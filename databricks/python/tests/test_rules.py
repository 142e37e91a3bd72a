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


def test_every_actionable_intent_gets_a_task_in_its_language() -> None:
    from voyce_ml import task_items

    bug = task_items.with_tasks([], "The app freezes when I upload photos over 10 MB. It is annoying.", "bug_report", "en")
    assert bug == [{"text": "Fix: the app freezes when I upload photos over 10 MB", "priority": "high"}]
    refund = task_items.with_tasks([], "Ich warte seit drei Wochen auf meine Rückerstattung.", "complaint", "de")
    assert refund == [{"text": "Klären: Ich warte seit drei Wochen auf meine Rückerstattung", "priority": "high"}]
    wish = task_items.with_tasks([], "Me gustaría poder cambiar el idioma.", "feature_request", "es")
    assert wish == [{"text": "Añadir: Me gustaría poder cambiar el idioma", "priority": "low"}]
    assert task_items.with_tasks([], "I love the new dashboard.", "praise", "en") == []
    assert task_items.with_tasks([], "How do I change my password?", "question", "en") == []
    found = [{"text": "Add dark mode", "priority": "low"}]
    assert task_items.with_tasks(found, "Please add dark mode.", "feature_request", "en") == found  # the rules' own item stays


def test_keywords_skip_the_stop_words_of_the_text_language() -> None:
    cands = keywords.candidates("Die Rückerstattung für meine Bestellung ist nicht angekommen", language="de")
    assert "rückerstattung" in cands and "bestellung" in cands
    assert not any(w in c.split() for c in cands for w in ("die", "für", "meine", "ist", "nicht"))
