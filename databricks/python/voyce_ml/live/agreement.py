"""Local agreement (whisper_streaming by UFAL, `HypothesisBuffer`): a word is settled once two consecutive
decodes of the growing audio window agree on it, as the longest common prefix of the two hypotheses.

Words are compared normalised (case and punctuation dropped) so "Button." and "button" agree; what is
settled keeps the spelling of the newer decode. Settled words are never changed or repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[^\w']+")
# A new hypothesis may repeat the tail of what was settled (the window still holds that audio); up to this many
# words are looked for and dropped, as in whisper_streaming.
_MAX_OVERLAP_WORDS = 5
# Words starting this long before the last settled end are treated as re-decodes of settled audio.
_SETTLED_SLACK_S = 0.1


@dataclass(frozen=True)
class TimedWord:
    """A word and its place in the audio, in seconds from the first audio frame."""

    word: str
    start: float
    end: float

    @property
    def key(self) -> str:
        return normalise(self.word)

    def to_dict(self) -> dict[str, object]:
        return {"word": self.word, "start": round(self.start, 3), "end": round(self.end, 3)}


def normalise(word: str) -> str:
    return _NOT_WORD.sub("", word.lower())


class HypothesisBuffer:
    """Holds the unsettled tail of the last decode; `insert` a new decode, then `flush` what both agree on."""

    def __init__(self) -> None:
        self.settled_in_window: list[TimedWord] = []  # settled words whose audio is still in the window
        self.tail: list[TimedWord] = []  # the previous decode's unsettled words
        self._new: list[TimedWord] = []
        self.last_settled_end = 0.0

    def insert(self, words: list[TimedWord]) -> None:
        """Take a new decode (absolute times); drop what restates already-settled words."""
        new = [w for w in words if w.start > self.last_settled_end - _SETTLED_SLACK_S and w.key]
        if new and self.settled_in_window and abs(new[0].start - self.last_settled_end) < 1.0:
            settled, count = self.settled_in_window, min(len(self.settled_in_window), len(new), _MAX_OVERLAP_WORDS)
            for n in range(count, 0, -1):  # longest overlap first: "the the" must not eat a real word
                if [w.key for w in settled[-n:]] == [w.key for w in new[:n]]:
                    new = new[n:]
                    break
        self._new = new

    def flush(self) -> list[TimedWord]:
        """Settle the longest common prefix of the previous and the new decode; the rest becomes the tail."""
        settled: list[TimedWord] = []
        while self._new and self.tail and self._new[0].key == self.tail[0].key:
            word = self._new.pop(0)
            self.tail.pop(0)
            settled.append(word)
            self.last_settled_end = word.end
        self.tail, self._new = self._new, []
        self.settled_in_window.extend(settled)
        return settled

    def forget_before(self, time: float) -> None:
        """The window was trimmed at `time`: settled words before it can no longer reappear."""
        while self.settled_in_window and self.settled_in_window[0].end <= time:
            self.settled_in_window.pop(0)

    def settle_all(self) -> list[TimedWord]:
        """End of the recording: the tail is all there will be, so it is settled as it stands."""
        settled, self.tail = self.tail, []
        if settled:
            self.last_settled_end = settled[-1].end
        self.settled_in_window.extend(settled)
        return settled
