"""The hotspot map: located events loaded through the gate (data.py) into
the pure scan in hoth.analytics.hotspots, and its pages (views.py)."""
