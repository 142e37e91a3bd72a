"""Download the audio of a run (an Azure Blob SAS URL in practice) to a temp file.

Tasks get a URL, never bytes: Temporal payloads and job parameters carry references only.
stdlib urllib is enough (no extra dependency); the file is deleted by the context manager.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AudioDownloadError, TaskInputError

DOWNLOAD_TIMEOUT_S = 60.0
MAX_BYTES = 200 * 1024 * 1024  # far above any accepted upload; stops a runaway stream


def _redact(url: str) -> str:
    """Drop the query string: a SAS token must not land in logs or run errors."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@contextmanager
def downloaded(url: str, timeout: float = DOWNLOAD_TIMEOUT_S) -> Iterator[Path]:
    """Yield a local path holding the URL's bytes; the file is removed afterwards."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise TaskInputError(f"audio_url must be an http(s) URL, got scheme {scheme!r}")
    suffix = Path(urllib.parse.urlsplit(url).path).suffix[:8]
    fd, name = tempfile.mkstemp(prefix="voyce-audio-", suffix=suffix)
    path = Path(name)
    try:
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
                copied = 0
                while chunk := resp.read(1 << 16):
                    copied += len(chunk)
                    if copied > MAX_BYTES:
                        raise AudioDownloadError(f"audio at {_redact(url)} is larger than {MAX_BYTES} bytes")
                    out.write(chunk)
        except urllib.error.HTTPError as exc:
            raise AudioDownloadError(f"GET {_redact(url)} failed: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            if isinstance(exc, AudioDownloadError):
                raise
            raise AudioDownloadError(f"GET {_redact(url)} failed: {exc}") from None
        yield path
    finally:
        path.unlink(missing_ok=True)

