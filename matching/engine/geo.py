"""Great-circle distances on a spherical Earth, vectorised with numpy."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km between points given in degrees; arguments broadcast."""
    phi1, lam1, phi2, lam2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def unit_vectors(lat_rad: np.ndarray, lon_rad: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere for latitudes/longitudes in radians (NaN stays NaN)."""
    cos_lat = np.cos(lat_rad)
    return np.column_stack((cos_lat * np.cos(lon_rad), cos_lat * np.sin(lon_rad), np.sin(lat_rad)))


def pairwise_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, m) great-circle distances in km between unit vectors a (n, 3) and b (m, 3).

    Goes through the chord length from coordinate differences, which stays accurate for short
    distances (no 1 − cos cancellation) and needs one arcsin per pair instead of four trig calls.
    A NaN row or column (no coordinates) gives NaN distances.
    """
    chord_sq = np.subtract(a[:, 0:1], b[:, 0])
    np.square(chord_sq, out=chord_sq)
    for axis in (1, 2):
        diff = np.subtract(a[:, axis : axis + 1], b[:, axis])
        np.square(diff, out=diff)
        chord_sq += diff
    np.sqrt(chord_sq, out=chord_sq)
    chord_sq *= 0.5
    np.minimum(chord_sq, 1.0, out=chord_sq)
    np.arcsin(chord_sq, out=chord_sq)
    chord_sq *= 2 * EARTH_RADIUS_KM
    return chord_sq
