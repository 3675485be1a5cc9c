"""Maintenance scripts of the course (run from the repository root: ``python -m tools.NAME``)."""
