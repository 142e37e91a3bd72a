"""05_model_training in organisation mode: what the notebook and the local jobs runtime both run.

Params (strings, as every notebook parameter):
  org_id           the organisation (its artifacts go under `<output_dir>/<org_id>/`);
  corrections_url  http(s) URL (a read-only blob SAS URL written by the workflow's export activity) of JSON lines
                   `{"text", "intent"?, "emotion"?, "sentiment"?}`, or
  corrections_path a local/Volume file of the same;
  output_dir       where organisation artifacts are written (a Unity Catalog volume on Databricks);
  active_model_path optional: the organisation's active artifact (default: the configured default artifact),
                   scored on the same held-out corrections; active_model_sha256 optional, checked when given.
Result: {"status": activated|not_better|insufficient_labels, "org_id", "labels", "model_version"?,
"artifact_path"?, "artifact_sha256"?, "baseline_version", "evaluation": {"before", "after", "n", ...}}.

The embedder is the one the active artifact was trained on (`embedder_for`), so the organisation's heads read
the same vectors as their base; a warm runtime worker hands over the encoder it already loaded.
"""

from __future__ import annotations

import hashlib
import re
import urllib.request
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .embedding_backends import SentenceEmbedder, embedder_for
from .errors import TaskInputError
from .model_artifact import Artifact, configured_path
from .org_training import MIN_LABELS, parse_corrections, train_org

MAX_CORRECTIONS_BYTES = 20 * 1024 * 1024
_ORG_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _required(params: Mapping[str, str], name: str) -> str:
    value = str(params.get(name) or "").strip()
    if not value:
        raise TaskInputError(f"missing required parameter {name!r}")
    return value


def read_corrections_text(params: Mapping[str, str]) -> str:
    """The corrections JSON lines from `corrections_url` or `corrections_path`."""
    url = str(params.get("corrections_url") or "").strip()
    path = str(params.get("corrections_path") or "").strip()
    if url:
        if not url.startswith(("http://", "https://")):
            raise TaskInputError("corrections_url must be an http(s) URL")
        with urllib.request.urlopen(url, timeout=60) as resp:  # noqa: S310 - scheme checked above
            raw = resp.read(MAX_CORRECTIONS_BYTES + 1)
    elif path:
        file = Path(path)
        if not file.is_file():
            raise TaskInputError(f"corrections_path {path!r} is not a file")
        raw = file.read_bytes()[: MAX_CORRECTIONS_BYTES + 1]
    else:
        raise TaskInputError("missing required parameter 'corrections_url' (or 'corrections_path')")
    if len(raw) > MAX_CORRECTIONS_BYTES:
        raise TaskInputError(f"corrections larger than {MAX_CORRECTIONS_BYTES} bytes")
    return raw.decode("utf-8")


def load_checked(path: Path, sha256: Optional[str]) -> Artifact:
    """An artifact from `path`, refusing one whose bytes do not hash to `sha256` (when given)."""
    if not path.is_file():
        raise TaskInputError(f"model artifact {str(path)!r} not found")
    if sha256:
        got = hashlib.sha256(path.read_bytes()).hexdigest()
        if got != sha256.lower():
            raise TaskInputError(f"model artifact {str(path)!r} has sha256 {got[:12]}…, expected {sha256[:12]}…")
    return Artifact.load(path)


def train_org_model(params: Mapping[str, str], embedder_of: Callable[[str], SentenceEmbedder] = embedder_for,
                    log: Callable[[str], None] = print) -> dict[str, Any]:
    """Organisation mode of 05_model_training (see the module docstring for params and result)."""
    org_id = _required(params, "org_id")
    if not _ORG_ID.match(org_id):
        raise TaskInputError(f"org_id {org_id!r} must be letters, digits, '-' or '_' (it names a folder)")
    out_dir = Path(_required(params, "output_dir"))
    try:
        corrections = parse_corrections(read_corrections_text(params).splitlines())
    except (ValueError, UnicodeDecodeError) as exc:
        raise TaskInputError(f"corrections: {exc}") from exc
    active_path = str(params.get("active_model_path") or "").strip()
    active = load_checked(Path(active_path), params.get("active_model_sha256")) if active_path else Artifact.load(configured_path())
    result = train_org(org_id, corrections, active, out_dir, embedder_of(active.embedding_model) if len(corrections) >= MIN_LABELS else None, log=log)
    ev = result["evaluation"]
    out: dict[str, Any] = {
        "status": result["status"],
        "org_id": org_id,
        "labels": len(corrections),
        "baseline_version": f"voyce-{active.version}",
        "evaluation": {**ev, "before": ev.get("before"), "after": ev.get("after"), "n": ev["n"]},
    }
    if result["status"] == "activated":
        out.update(model_version=result["modelVersion"], artifact_path=result["path"], artifact_sha256=result["sha256"])
    return out
