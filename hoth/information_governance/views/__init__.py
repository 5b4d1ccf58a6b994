"""The data protection officer's pages: retention and the schedule
(retention.py) and subject access requests (subject_access.py)."""
