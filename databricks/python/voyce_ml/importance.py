"""importance_score (0..1): how soon a team should look at a piece of feedback.

Formula (weights sum to 1, every term in 0..1):
    importance = 0.35 * intent_weight[intent] * intent_confidence
               + 0.30 * negativity                      (max(0, -sentiment score))
               + 0.20 * min(1, urgency_hits / 2)        (asap, urgent, immediately, can't, blocked…)
               + 0.15 * min(1, impact_hits / 2)         (everyone, all users, payment, data, lost, security…)
intent_weight: bug_report 1.0, complaint 0.8, feature_request 0.5, question 0.4, praise 0.15, other 0.1.
Why these weights: broken things and angry users first, then urgency the user states, then breadth of
impact; praise and chatter sink. Rounded to 3 decimals. Empty text scores 0.
"""

from __future__ import annotations

import re

INTENT_WEIGHT = {"bug_report": 1.0, "complaint": 0.8, "feature_request": 0.5, "question": 0.4, "praise": 0.15, "other": 0.1}
W_INTENT, W_NEG, W_URGENT, W_IMPACT = 0.35, 0.30, 0.20, 0.15
URGENCY = re.compile(r"\b(asap|urgent(ly)?|immediately|right now|critical|blocker|blocked|can'?t|cannot|unable|again|every time|still|deadline|today)\b", re.I)
IMPACT = re.compile(r"\b(everyone|every user|all users|all (of )?(my|our) \w+|whole team|customers?|clients?|payments?|billing|charged|money|refund|data|lost|deleted|security|privacy|leak|hacked|production|revenue)\b", re.I)


def score(intent: str, intent_confidence: float, sentiment_score: float, text: str) -> float:
    if not text.strip():
        return 0.0
    urgency = min(1.0, len(URGENCY.findall(text)) / 2)
    impact = min(1.0, len(IMPACT.findall(text)) / 2)
    value = (
        W_INTENT * INTENT_WEIGHT.get(intent, 0.1) * max(0.0, min(1.0, intent_confidence))
        + W_NEG * max(0.0, -sentiment_score)
        + W_URGENT * urgency
        + W_IMPACT * impact
    )
    return round(max(0.0, min(1.0, value)), 3)
