"""Problem profiles: what one contains, section by section (contents.py),
its map and charts (drawing.py), the form choosing its area, theme and
period (forms.py) and its pages (views.py); the PDF is a background job
(hoth.intelligence.jobs)."""
