"""Exceptions carrying the library's status code and message.

The codes are absl's canonical codes, as in ``vigil.h`` (``VIGIL_INVALID_ARGUMENT`` = 3, ...).
"""
from __future__ import annotations

from typing import Dict, Type


class VigilError(Exception):
    """An error reported by libvigil.

    Attributes:
        code: the status code (an absl canonical code, e.g. 3 for INVALID_ARGUMENT).
        message: the library's message, naming the rule, field, file or row at fault.
    """

    code: int = 2

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{_NAMES.get(self.code, 'UNKNOWN')}: {self.message}"


class DataWarning(UserWarning):
    """Rows were not used, or nothing could be assessed: the report's
    diagnostics say which and why (``report.diagnostics``)."""


class Cancelled(VigilError):
    code = 1


class Unknown(VigilError):
    code = 2


class InvalidArgument(VigilError, ValueError):
    code = 3


class DeadlineExceeded(VigilError):
    code = 4


class NotFound(VigilError, FileNotFoundError):
    code = 5


class AlreadyExists(VigilError):
    code = 6


class PermissionDenied(VigilError, PermissionError):
    code = 7


class ResourceExhausted(VigilError, MemoryError):
    code = 8


class FailedPrecondition(VigilError):
    code = 9


class Aborted(VigilError):
    code = 10


class OutOfRange(VigilError, IndexError):
    code = 11


class Unimplemented(VigilError, NotImplementedError):
    code = 12


class Internal(VigilError):
    code = 13


class Unavailable(VigilError):
    code = 14


class DataLoss(VigilError):
    code = 15


class Unauthenticated(VigilError):
    code = 16


_CLASSES: Dict[int, Type[VigilError]] = {
    cls.code: cls
    for cls in (Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound,
                AlreadyExists, PermissionDenied, ResourceExhausted, FailedPrecondition,
                Aborted, OutOfRange, Unimplemented, Internal, Unavailable, DataLoss,
                Unauthenticated)
}

_NAMES = {
    0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
    13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}


def error_for(code: int, message: str) -> VigilError:
    """The exception for a status code (``VigilError`` itself for an unknown code)."""
    cls = _CLASSES.get(code)
    return cls(message) if cls is not None else VigilError(message, code)


class RowsNotUsed(InvalidArgument):
    """``strict=True`` and rows were not used. ``report`` is the report
    anyway, its ``diagnostics`` name each row and reason."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report
