"""Medians and percentiles of timings, the one way every benchmark script reports them.

Percentiles are interpolated between the closest ranks (``statistics.quantiles``,
``inclusive``), so a few hundred samples give a stable p95; the 100th is the maximum.
(``process_logs.py`` keeps the nearest-rank percentile of the original project's log
summary.)
"""

import math
import statistics
from dataclasses import dataclass


def percentile(values: list[float], percent: int) -> float:
    """The ``percent``-th percentile of ``values``; NaN when there are none."""
    if not values:
        return math.nan
    if len(values) == 1 or percent >= 100:  # quantiles() wants two points and has no 100th
        return max(values)
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


@dataclass(frozen=True)
class Summary:
    n: int
    median_ms: float
    p95_ms: float
    max_ms: float


def summarize(seconds: list[float]) -> Summary:
    """Count, median, p95 and maximum of timings in seconds, in milliseconds."""
    ms = [value * 1000 for value in seconds]
    return Summary(len(ms), statistics.median(ms), percentile(ms, 95), max(ms))
