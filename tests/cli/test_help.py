"""Every command and every option explains itself (issue: help text on every option)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from sellerflow.cli import app
from sellerflow.domain.policy import Policy
from sellerflow.service import config


def _commands(command: Any, path: str = "sellerflow") -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def test_every_command_and_option_has_help() -> None:
    root = typer.main.get_command(app)
    missing = []
    for path, command in _commands(root):
        if not (command.help or command.short_help):
            missing.append(path)
        for param in command.params:
            if param.param_type_name == "option" and not param.help:
                missing.append(f"{path} {param.opts[0]}")
            if param.param_type_name == "argument" and not getattr(param, "help", None):
                missing.append(f"{path} {param.name}")
    assert missing == []


def test_config_set_help_lists_every_key_with_its_default() -> None:
    assert list(config.MEANINGS) == list(config.KEYS)
    defaults = config.describe(Policy())
    for key, meaning in config.MEANINGS.items():
        assert meaning.endswith(f"default {defaults[key]}"), key
