"""Distances on the map, for matching a place to where something happened.
Pure numpy; no Django."""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8


def distances_m(lat: float, lng: float, lats: npt.ArrayLike, lngs: npt.ArrayLike) -> NDArray[np.float64]:
    """Great-circle distances in metres from one point to many (haversine)."""
    lat1, lng1 = np.radians(lat), np.radians(lng)
    lat2, lng2 = np.radians(np.asarray(lats, float)), np.radians(np.asarray(lngs, float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def nearest_within(
    lat: float | None,
    lng: float | None,
    lats: Sequence[float] | NDArray[np.floating],
    lngs: Sequence[float] | NDArray[np.floating],
    metres: float,
) -> tuple[int, float] | None:
    """(position, distance) of the nearest of the points within `metres` of
    (lat, lng), or None when none is that close."""
    if lat is None or lng is None or not len(lats):
        return None
    found = distances_m(lat, lng, lats, lngs)
    best = int(np.argmin(found))
    return (best, float(found[best])) if found[best] <= metres else None
