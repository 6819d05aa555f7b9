"""Where evidence files are kept, by SHA-256: a storage interface, a local folder (the
default, ``TWIN_EVIDENCE_DIR``) and an S3-compatible bucket (``TWIN_EVIDENCE_S3_BUCKET``, with
``TWIN_EVIDENCE_S3_ENDPOINT`` for a server other than AWS; credentials as boto3 finds them:
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a profile or an instance role).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol


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


class S3EvidenceStorage:
    """Objects ``evidence/ab/cd/<hash>`` in an S3-compatible bucket (boto3). A PUT is atomic
    (an object appears whole or not at all); one already there is not sent again."""

    def __init__(self, bucket: str, endpoint_url: str | None = None):
        self.bucket, self.client = bucket, _s3_client(endpoint_url)

    @staticmethod
    def key_of(sha256: str) -> str:
        return f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self._object(sha256, head=True) is None:
            self.client.put_object(
                Bucket=self.bucket, Key=self.key_of(sha256), Body=data, ContentLength=len(data)
            )
        return sha256

    def get(self, sha256: str) -> bytes | None:
        found = self._object(sha256, head=False)
        return None if found is None else found["Body"].read()

    def _object(self, sha256: str, head: bool) -> Any:
        from botocore.exceptions import ClientError

        call = self.client.head_object if head else self.client.get_object
        try:
            return call(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise


@lru_cache(maxsize=8)
def _s3_client(endpoint_url: str | None) -> Any:
    """One boto3 client per endpoint (clients are thread-safe; making one takes ~0.1 s)."""
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url)
