"""The network of subjects and links: loaded as the viewer may see it
(data.py) for the pure analysis in hoth.analytics.network, and its pages
(views.py)."""
