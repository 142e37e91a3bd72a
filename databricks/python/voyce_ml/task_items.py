"""Every request, bug report and complaint becomes at least one task a product team can act on.

The rules in action_items.py find the sentences that *ask* for something, in English. A bug report often
asks for nothing ("the app freezes when I upload photos over 10 MB"), and other languages have other
words; yet each of these is work. So when the intent head says bug_report, feature_request or complaint
and the rules found no item, the transcript's most telling sentence becomes the task, behind a verb of the
transcript's language: "Fix: the app freezes when uploading photos over 10 MB", "Beheben: Die App …".
Praise and questions get no such task (their requests, if any, are still found by the rules).

Priority: high on an urgency word of the language (crash, refund, urgent, lost ...; abstürzen, Rückerstattung,
dringend ...), medium for a bug report or a complaint, low for a feature request.
"""

from __future__ import annotations

import re

from .action_items import MAX_CHARS, ActionItem, sentences

ACTIONABLE = ("bug_report", "complaint", "feature_request")

# The verb that turns a sentence into a task, per intent and language (hand-written; English fallback).
VERBS: dict[str, dict[str, str]] = {
    "en": {"bug_report": "Fix", "complaint": "Resolve", "feature_request": "Add"},
    "de": {"bug_report": "Beheben", "complaint": "Klären", "feature_request": "Hinzufügen"},
    "fr": {"bug_report": "Corriger", "complaint": "Résoudre", "feature_request": "Ajouter"},
    "es": {"bug_report": "Corregir", "complaint": "Resolver", "feature_request": "Añadir"},
    "pt": {"bug_report": "Corrigir", "complaint": "Resolver", "feature_request": "Adicionar"},
    "it": {"bug_report": "Correggere", "complaint": "Risolvere", "feature_request": "Aggiungere"},
    "nl": {"bug_report": "Oplossen", "complaint": "Afhandelen", "feature_request": "Toevoegen"},
    "pl": {"bug_report": "Naprawić", "complaint": "Rozwiązać", "feature_request": "Dodać"},
}

URGENT: dict[str, re.Pattern[str]] = {
    lang: re.compile(rf"\b({words})", re.I)
    for lang, words in {
        "en": r"asap|urgent|immediately|critical|blocker|can'?t|cannot|unable|lost|losing|deleted|charged|crash|freez|data leak|security|hacked|refund",
        "de": r"dringend|sofort|kritisch|stürzt|absturz|abgestürzt|friert|verloren|gelöscht|abgebucht|rückerstattung|kann nicht|nicht mehr|sicherheit",
        "fr": r"urgent|immédiatement|critique|plante|planté|bloqué|perdu|supprimé|débité|remboursement|impossible|sécurité",
        "es": r"urgente|inmediatamente|crítico|se cierra|bloquea|perdí|perdido|borrado|cobrado|reembolso|no puedo|seguridad",
        "pt": r"urgente|imediatamente|crítico|trava|travou|fecha sozinho|perdi|perdido|apagado|cobrado|reembolso|não consigo|segurança",
        "it": r"urgente|subito|critico|si blocca|crash|perso|cancellato|addebitato|rimborso|non riesco|sicurezza",
        "nl": r"dringend|meteen|kritiek|crasht|vastloopt|verloren|verwijderd|afgeschreven|terugbetaling|kan niet|beveiliging",
        "pl": r"pilne|natychmiast|krytyczn|zawiesza|utracon|usunięt|pobrano|zwrot|nie mogę|bezpieczeństw",
    }.items()
}


def priority(sentence: str, intent: str, language: str) -> str:
    if URGENT.get(language, URGENT["en"]).search(sentence) or URGENT["en"].search(sentence):
        return "high"
    return "low" if intent == "feature_request" else "medium"


def _telling(text: str) -> str:
    """The sentence that says most: the first that is not a question, else the first; one line, trimmed."""
    found = sentences(text)
    if not found:
        return ""
    statements = [s for s in found if not s.rstrip().endswith("?")]
    return (statements or found)[0].strip().rstrip(".!")


def with_tasks(items: list[ActionItem], text: str, intent: str, language: str) -> list[ActionItem]:
    """`items`, or (for an actionable intent with none) one task in the transcript's language."""
    if items or intent not in ACTIONABLE:
        return items
    sentence = _telling(text)
    if not sentence:
        return items
    verb = VERBS.get(language, VERBS["en"])[intent]
    first = sentence.split(" ", 1)[0]
    # English sentence case after the colon ("Fix: the app ..."), but "I" and acronyms stay; other languages keep theirs (German nouns).
    lowered = language == "en" and len(first) > 1 and not first.isupper()
    task = f"{verb}: {sentence[0].lower() + sentence[1:] if lowered else sentence}"
    if len(task) > MAX_CHARS:
        task = task[: MAX_CHARS - 1].rstrip() + "…"
    return [{"text": task, "priority": priority(sentence, intent, language)}]
