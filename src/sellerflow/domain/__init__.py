"""The pure domain core: rules only, no I/O and no clock reads."""
