"""The person register's pages (register.py) and its reference data:
name variants and the like (reference.py)."""
