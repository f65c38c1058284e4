"""The import's own exception."""

from __future__ import annotations


class CommitAborted(Exception):
    """The commit wrote nothing; the message says why."""
