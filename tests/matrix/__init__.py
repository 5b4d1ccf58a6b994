"""Per-area tables of the authorisation matrix (see common.py)."""

import pkgutil
from importlib import import_module


def area_rules():
    """Every area module's RULES, merged; two areas may not claim one route."""
    merged = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "common":
            continue
        module = import_module(f"{__name__}.{info.name}")
        clash = merged.keys() & module.RULES.keys()
        assert not clash, f"routes with rules in two areas: {sorted(clash)}"
        merged.update(module.RULES)
    return merged
