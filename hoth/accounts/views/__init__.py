"""The accounts pages: signing in (signing_in.py) and administrators
managing accounts, roles, agencies and service tokens (manage.py)."""
