"""The person register's forms (register.py) and its reference data's (reference.py)."""
