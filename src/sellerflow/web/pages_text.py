"""The marker for messages written in Python rather than in a template (domain/text.py)."""

from sellerflow.domain.text import N_

__all__ = ["N_"]
