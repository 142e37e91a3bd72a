"""The local-agreement policy on hand-made hypotheses (no model)."""

from voyce_ml.live.agreement import HypothesisBuffer, TimedWord


def _words(text: str, start: float = 0.0) -> list[TimedWord]:
    return [TimedWord(w, start + i * 0.5, start + i * 0.5 + 0.4) for i, w in enumerate(text.split())]


def test_settles_only_the_common_prefix_of_two_decodes() -> None:
    buf = HypothesisBuffer()
    buf.insert(_words("the check"))
    assert buf.flush() == []  # one decode alone settles nothing
    buf.insert(_words("the checkout page"))
    settled = buf.flush()
    assert [w.word for w in settled] == ["the"]
    assert [w.word for w in buf.tail] == ["checkout", "page"]


def test_compares_words_without_case_or_punctuation_and_never_repeats() -> None:
    buf = HypothesisBuffer()
    buf.insert(_words("The pay button."))
    buf.flush()
    buf.insert(_words("the pay button, I"))
    assert [w.word for w in buf.flush()] == ["the", "pay", "button,"]
    # The window still holds that audio: a decode restating it settles only what is new.
    buf.insert(_words("the pay button, I love", 0.0))
    assert [w.word for w in buf.flush()] == ["I"]
    buf.insert(_words("love it", 2.0))
    assert [w.word for w in buf.flush()] == ["love"]


def test_disagreement_settles_nothing_and_settle_all_takes_the_tail() -> None:
    buf = HypothesisBuffer()
    buf.insert(_words("paper button"))
    buf.flush()
    buf.insert(_words("pay the button"))
    assert buf.flush() == []
    assert [w.word for w in buf.settle_all()] == ["pay", "the", "button"]
    assert buf.tail == [] and buf.last_settled_end == 1.4


def test_forget_before_drops_trimmed_settled_words() -> None:
    buf = HypothesisBuffer()
    for _ in range(2):
        buf.insert(_words("one two three"))
        buf.flush()
    buf.forget_before(0.5)
    assert [w.word for w in buf.settled_in_window] == ["two", "three"]
