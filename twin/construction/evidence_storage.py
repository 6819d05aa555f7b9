"""Where evidence files are kept, by SHA-256: a storage interface and its local-folder backend.

Only the local folder exists so far (``TWIN_EVIDENCE_DIR``, default ``var/evidence``): an
S3-compatible backend would implement :class:`EvidenceStorage` too (not done: no S3-compatible
server to test it against is installed here; see docs/construction.md "Evidence").
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class EvidenceStorage(Protocol):
    """Content-addressed storage: a file is named by the SHA-256 of its bytes."""

    def put(self, data: bytes) -> str:
        """Store ``data`` (once: the same content again changes nothing); its SHA-256 (hex)."""
        ...

    def get(self, sha256: str) -> bytes | None:
        """The content stored under ``sha256``, or None."""
        ...


class LocalEvidenceStorage:
    """Files under ``root/ab/cd/<hash>``, each written to a temporary file and renamed into
    place (a reader never sees half a file; a crash leaves at most a stray temporary file)."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes | None:
        path = self.path_of(sha256)
        return path.read_bytes() if path.is_file() else None
