"""Screening a child (screening.py) and keeping the versions of the
screening tool (tools.py)."""
