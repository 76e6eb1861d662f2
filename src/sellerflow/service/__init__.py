"""Service functions: one command, one transaction each."""
