"""The layers as the code keeps them: what `make lint`'s import contract cannot see."""

from __future__ import annotations

import ast
from pathlib import Path

import sellerflow

SOURCE = Path(sellerflow.__file__).parent


def _names_the_operator(path: Path) -> list[int]:
    """Lines where a module makes or names the operator caller."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Attribute) and node.attr in ("operator", "OPERATOR")
                and isinstance(node.value, ast.Name)
                and node.value.id in ("Caller", "CallerKind")):
            found.append(node.lineno)
    return found


def test_no_door_that_serves_the_public_acts_as_the_operator() -> None:
    """The HTTP API and the console act as the seller, the buyer, or a sandbox's tester whom
    a token or session names; only the command line, on the database it owns, is the
    operator."""
    doors = [*sorted((SOURCE / "api").glob("*.py")), *sorted((SOURCE / "web").glob("*.py"))]
    assert len(doors) > 10
    used = {str(path.relative_to(SOURCE)): lines for path in doors
            if (lines := _names_the_operator(path))}
    assert used == {}
    assert _names_the_operator(SOURCE / "cli" / "output.py")     # the check sees it
