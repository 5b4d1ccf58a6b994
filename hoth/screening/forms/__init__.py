"""The screening forms (screening.py) and the screening tool's (tools.py)."""
