"""Which Whisper reads which clip (`python -m voyce_bench.whisper_choice`): `base` for all against `auto`.

`auto` lets base detect the language and hands confidently English clips to tiny.en; `base` decodes
everything itself. Both are measured on the same espeak-ng clips, in this process, one thread per model
call as in the jobs runtime: English test sentences (the voices of bench_accuracy) and the multilingual
set. Printed: language right, WER and seconds per clip (p50), per policy and language.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from voyce_ml import dataset, multilingual_set, tasks
from voyce_bench.accuracy import _speak, plan
from voyce_ml.metrics import word_error_rate
from voyce_ml.transcription import load_audio
from voyce_ml.whisper_models import AUTO, BASE


def clips(english_every: int) -> list[tuple[str, str, str, int]]:
    """(language, text, voice, speed): every n-th English test sentence, then the multilingual set."""
    english = [("en", c["text"], c["voice"], c["speed"]) for c in plan(dataset.load("test"))[::english_every]]
    others = [(s.language, s.example.text, multilingual_set.VOICES[s.language], 150) for s in multilingual_set.load()]
    return english + others


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--english-every", type=int, default=3, help="take every n-th English test sentence")
    args = parser.parse_args()
    rows: dict[tuple[str, str], list[tuple[bool, float, float, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="voyce-models-") as tmp:
        for i, (language, text, voice, speed) in enumerate(clips(args.english_every)):
            path = Path(tmp) / f"c{i}.wav"
            _speak(text, path, voice, speed, "wav")
            samples = load_audio(path)
            for chosen in (BASE, AUTO):
                t0 = time.perf_counter()
                transcript, model = tasks._transcribe(samples, None, chosen)
                seconds = time.perf_counter() - t0
                rows.setdefault((chosen, language), []).append(
                    (transcript.language == language, word_error_rate(text, transcript.text), seconds, model.model_id)
                )
    print("| policy | language | clips | language right | WER | s per clip p50 | decoded by tiny.en |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (chosen, language), got in sorted(rows.items()):
        right = sum(r[0] for r in got) / len(got)
        wer = statistics.mean(r[1] for r in got)
        p50 = statistics.median(r[2] for r in got)
        tiny = sum(r[3] != BASE for r in got)
        print(f"| {chosen} | {language} | {len(got)} | {right:.1%} | {wer:.1%} | {p50:.2f} | {tiny} |")


if __name__ == "__main__":
    main()
