"""One error hierarchy: every message names the file, the problem and the fix."""

from __future__ import annotations

from pathlib import Path


class CybernormsError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class SourceError(CybernormsError):
    """A document or corpus location could not be read."""

    def __init__(self, location: str | Path, problem: str, fix: str = "") -> None:
        self.location = str(location)
        self.problem = problem
        self.fix = fix
        message = f"{self.location}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)

    def __reduce__(self):
        # Errors travel back from worker processes: pickle the constructor's arguments.
        return (type(self), (self.location, self.problem, self.fix))


class StoreError(CybernormsError):
    """The database could not be opened, written or queried."""


class ModelError(CybernormsError):
    """A trained model is missing, unreadable or incompatible."""
