"""Disruption pages: activities, plans and reviews (activities.py) and the
catalogue of tactics (tactics.py)."""
