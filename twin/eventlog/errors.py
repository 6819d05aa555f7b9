"""Errors of the event log: each carries a message a user can act on."""

from __future__ import annotations


class EventLogError(Exception):
    """Base class of every error the event log raises on purpose."""


class VersionConflict(EventLogError):
    """An append was decided on a stream version that is no longer current.

    Parameters
    ----------
    stream : str
        The stream the append targeted.
    expected_version : int
        The version the caller decided on.
    actual_version : int
        The stream's version in the log when the append was refused.
    """

    def __init__(self, stream: str, expected_version: int, actual_version: int) -> None:
        self.stream = stream
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"stream {stream!r} is at version {actual_version}, not {expected_version} as the "
            "append expected: someone else changed it; reload and decide again"
        )

    def __reduce__(self) -> tuple[type[VersionConflict], tuple[str, int, int]]:
        return (type(self), (self.stream, self.expected_version, self.actual_version))


class IdempotencyConflict(EventLogError):
    """An idempotency key was reused for a different write.

    Parameters
    ----------
    key : str
        The reused key.
    reason : str
        Why the write is not a retry of the one that recorded the key.
    """

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"idempotency key {key!r} was already used for another write: {reason}")

    def __reduce__(self) -> tuple[type[IdempotencyConflict], tuple[str, str]]:
        return (type(self), (self.key, self.reason))


class BackupRefused(EventLogError):
    """A backup was refused (its target is a file, or a directory that is not a backup)."""


class RestoreRefused(EventLogError):
    """A restore was refused (the target log is not empty, or the backup is unusable)."""


class UnstorableText(EventLogError):
    """An event holds text the log could not read back (a lone surrogate or a NUL).

    Nothing of the write is stored. Such text is refused at the edge; this is the log's own
    guard, so one bad string can never make an endpoint fail for good.

    Parameters
    ----------
    where : str
        The column or data path, e.g. ``data.note`` or ``actor``.
    problem : str
        What is wrong with it (from :func:`assets.text.text_problem`).
    event : str
        Which event, e.g. ``'Noted' of stream 'unit:u'``.
    """

    def __init__(self, where: str, problem: str, event: str) -> None:
        self.where, self.problem, self.event = where, problem, event
        super().__init__(
            f"event {event}: {where} {problem}; the log stores only text it can read back"
        )

    def __reduce__(self) -> tuple[type[UnstorableText], tuple[str, str, str]]:
        return (type(self), (self.where, self.problem, self.event))
