"""Moved to rehab/services/ (one module per aggregate); this re-export goes when issue 15 closes."""

from .services.audit import *  # noqa: F403
from .services.audit import checked_actor as _actor  # noqa: F401
from .services.bootstrap import *  # noqa: F403
from .services.clinic import *  # noqa: F403
from .services.exercises import *  # noqa: F403
from .services.outcomes import *  # noqa: F403
from .services.patients import *  # noqa: F403
from .services.programs import *  # noqa: F403
from .storage.errors import ArchivedRecord, ConflictError, InvalidRecord, NotFound, StorageError, StorageUnavailable  # noqa: F401
