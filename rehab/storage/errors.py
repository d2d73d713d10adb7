"""Errors from storing and loading records: defined in rehab/errors.py with the rest of the tree."""

from ..errors import (  # noqa: F401
    ArchivedRecord,
    ConflictError,
    DataNotEmpty,
    InvalidRecord,
    NotFound,
    StorageError,
    StorageUnavailable,
)
