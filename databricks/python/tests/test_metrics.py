from voyce_ml.metrics import normalize_words, word_error_rate


def test_normalisation_ignores_case_and_punctuation() -> None:
    assert normalize_words("The pay-button, crashes!") == ["the", "pay", "button", "crashes"]
    assert word_error_rate("the pay button", "The pay button.") == 0.0


def test_counts_substitutions_deletions_insertions() -> None:
    assert word_error_rate("a b c d", "a x c") == 0.5  # one substitution, one deletion
    assert word_error_rate("a b", "a b c d") == 1.0  # two insertions
    assert word_error_rate("", "") == 0.0
