"""The domain: pure pydantic models and enums, importing nothing of ours but the error tree and pure helpers.

``program.py``: a home exercise program and its parts (what a document holds); ``records.py``: what the
services store and show (patients, versions, outcomes, the audit log). ``from rehab.domain import Program``
reads the program models, as it always has.
"""

from .program import *  # noqa: F403  # the package's names are the program models'
