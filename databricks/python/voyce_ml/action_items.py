"""Action items: the sentences of a transcript that ask for something to be done.

Why rules and not a model: the labelled set has no sentence-level action annotations yet, and the
request forms in feedback are few and regular ("please fix…", "could you add…", "I wish…", "it
needs…", "X is broken"). Each matching sentence is rewritten as a short imperative where a fixed
pattern makes that safe ("could you add dark mode" -> "Add dark mode"); otherwise it is kept as is.

Priority: high when the sentence has an urgency word (asap, urgent, immediately, can't, lost,
crash, charged...) ; medium for a fix request or a report of something broken; low otherwise
(wishes, suggestions).
"""

from __future__ import annotations

import re
from typing import TypedDict


class ActionItem(TypedDict):
    text: str
    priority: str


MAX_ITEMS = 5
MAX_CHARS = 160

URGENT = re.compile(r"\b(asap|urgent(ly)?|immediately|right now|now|critical|blocker|blocked|can'?t|cannot|unable|lost|losing|deleted|charged|crash(es|ed|ing)?|data leak|security|hacked|refund)\b", re.I)
BROKEN = re.compile(r"\b(fix|broken|broke|bug|crash\w*|error|fails?|failing|doesn'?t work|not working|stopped working)\b", re.I)
# (pattern, replacement prefix) applied to the start of a sentence; group "rest" is the request.
REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), prefix)
    for p, prefix in (
        (r"^(?:@\w+\s+)?(?:(?:can|could|would|will)\s+(?:you|u|we|someone)\s+(?:please\s+|pls\s+|plz\s+)?)(?P<rest>.+)$", ""),
        (r"^(?:please|pls|plz)\s+(?P<rest>.+)$", ""),
        (r"^(?:i|we)\s+(?:really\s+)?(?:wish|hope)\s+(?:there\s+was|there\s+were)\s+(?P<rest>.+)$", "Add "),
        (r"^(?:i|we)\s+(?:really\s+)?(?:wish|want|need|would like|'d like)\s+(?:to\s+be\s+able\s+to|i\s+could|we\s+could|you\s+would|you'd)\s+(?P<rest>.+)$", "Let users "),
        (r"^(?:it\s+)?would\s+be\s+(?:nice|great|good|helpful|useful|awesome|amazing|lovely)\s+(?:if\s+(?:you|we|i)\s+could|to\s+have|to)\s+(?P<rest>.+)$", ""),
        (r"^(?:you\s+)?(?:should|need\s+to|must|have\s+to)\s+(?P<rest>.+)$", ""),
    )
)
REQUEST = re.compile(
    r"\b(please|pls|plz|could you|can you|can u|would you|will you|i wish|we wish|i want to be able|we need|i need|needs? to|should|"
    r"would be (nice|great|good|helpful|useful|awesome|amazing|lovely)|it'?d be|add|fix|allow|let (me|us|users)|make it|support for|"
    r"suggestion|how about)\b",
    re.I,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]


LEADING_FILLER = re.compile(r"^(?:(?:also|and|but|so|oh|ok|okay|hey|hi|um|uh|plus|then|anyway)[,\s]+)+", re.I)


def _imperative(sentence: str) -> str:
    s = LEADING_FILLER.sub("", sentence.strip().rstrip(".!?").strip())
    for pattern, prefix in REWRITES:
        m = pattern.match(s)
        if m:
            s = prefix + m.group("rest").strip()
            break
    s = re.sub(r"\s+(please|pls|plz)$", "", s, flags=re.I).rstrip(" ,?")
    s = s[0].upper() + s[1:] if s else s
    return s if len(s) <= MAX_CHARS else s[: MAX_CHARS - 1].rstrip() + "…"


def priority(sentence: str) -> str:
    if URGENT.search(sentence):
        return "high"
    if BROKEN.search(sentence):
        return "medium"
    return "low"


def extract(text: str) -> list[ActionItem]:
    """Request sentences as imperative items, in order, at most MAX_ITEMS, no duplicates."""
    items: list[ActionItem] = []
    seen: set[str] = set()
    for sentence in sentences(text):
        if sentence.rstrip().endswith("?") and not re.search(r"\b(could|can|would|will) (you|u)\b", sentence, re.I):
            continue  # a plain question asks for an answer, not for work
        if not REQUEST.search(sentence):
            continue
        item = _imperative(sentence)
        if len(item.split()) < 2 or item.lower() in seen:
            continue
        seen.add(item.lower())
        items.append({"text": item, "priority": priority(sentence)})
        if len(items) == MAX_ITEMS:
            break
    return items
