"""The cases app's pages: a case (case.py) and a child's missing episodes (missing.py)."""
