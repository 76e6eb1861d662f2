"""The marker for messages written in Python rather than in a template."""


def N_(message: str) -> str:
    """Marks a message for the catalogs (pybabel extracts it); it is translated when shown."""
    return message
