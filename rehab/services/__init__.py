"""Use cases: the one back-end API that app_pages/, ui/ and the command line (rehab/cli/) call.

One module per aggregate (patients, programs, exercises, outcomes, clinic, audit, bootstrap, …). Each is plain
functions taking the repository as a keyword (``repo=``); each call is one transaction, and none of them changes
the objects passed in: when a save fails (conflict, database down, locked or read-only) the caller still holds
the unsaved value and can retry with it. The services call the pure packages and the adapters (storage, mail,
handout, illustrations); nothing above them does.
"""

from . import audit, bootstrap, clinic, database, exercises, outcomes, patients, programs

__all__ = ["audit", "bootstrap", "clinic", "database", "exercises", "outcomes", "patients", "programs"]
