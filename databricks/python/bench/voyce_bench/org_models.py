"""Benchmark: organisation models on two synthetic teams whose labels disagree systematically.

The labelled test set (never trained on by the default model) is split in two halves, one per team.
Team "complainers" calls every question a complaint ("why did the price go up?" is a complaint to them);
team "askers" calls every complaint a question. Each team's relabelled half is its corrections; the
organisation model is trained on the default data plus those corrections and scored with k-fold
cross-validation on corrections it did not train on, beside the active (default) model on the same rows.

It goes through the same code path as the job: each team's corrections are written as JSON lines and handed to
`org_model_task.train_org_model` (what `05_model_training` runs in organisation mode), which embeds with the
encoder of the active artifact (`embedder_for`).

Run: `python -m voyce_bench.org_models [--out DIR]` (or `npm run bench:org-models`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Optional

from voyce_ml import dataset
from voyce_ml.embedding_backends import SentenceEmbedder, embedder_for
from voyce_ml.model_artifact import Artifact, configured_path
from voyce_ml.org_model_task import train_org_model
from voyce_ml.org_training import Correction

TEAMS = {"complainers": {"question": "complaint"}, "askers": {"complaint": "question"}}


def team_corrections(examples: list[dataset.Example], relabel: dict[str, str]) -> list[Correction]:
    """The team's corrections: every example with its intent mapped by the team's habit."""
    return [Correction(e.text, relabel.get(e.intent, e.intent), e.emotion, e.sentiment) for e in examples]


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="where the organisation artifacts go (default: a temporary folder)")
    args = ap.parse_args(argv)
    active = Artifact.load(configured_path())
    encoders: dict[str, SentenceEmbedder] = {}

    def embedder_of(model_id: str) -> SentenceEmbedder:
        return encoders.setdefault(model_id, embedder_for(model_id))

    test = dataset.load("test")
    halves = {"complainers": test[0::2], "askers": test[1::2]}
    out = args.out or Path(tempfile.mkdtemp(prefix="voyce-org-models-"))
    print(f"active model {active.version} ({active.embedding_model}); {len(test)} test sentences split across {len(TEAMS)} teams")
    print(f"{'team':<12} {'n':>4} {'head':<10} {'before':>7} {'after':>7}")
    for team, relabel in TEAMS.items():
        lines = out / f"{team}.corrections.jsonl"
        lines.write_text("".join(json.dumps({"text": c.text, "intent": c.intent, "emotion": c.emotion, "sentiment": c.sentiment}) + "\n"
                                 for c in team_corrections(halves[team], relabel)), encoding="utf-8")
        result = train_org_model({"org_id": team, "corrections_path": str(lines), "output_dir": str(out)}, embedder_of, log=lambda _m: None)
        ev = result["evaluation"]
        for head, figures in ev["per_head"].items():
            print(f"{team:<12} {figures['n']:>4} {head:<10} {figures['before']:>7.3f} {figures['after']:>7.3f}")
        print(f"{team:<12} {ev['labels']:>4} {'all':<10} {ev['before']:>7.3f} {ev['after']:>7.3f}  → {result['status']} {result.get('model_version', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
