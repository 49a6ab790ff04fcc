"""Funnel limits as Spiegelhalter (2005) and domain.md section 5 give them.

The "correct" values that FINDINGS.md and the Vigil test set against
FunnelPlotR's: the arcsine angle clamped to [0, pi/2] before squaring, the
square-root (CQC) limits squared (the lower root clamped at 0 first), exact
normal quantiles. phi, tau2 and the target are FunnelPlotR's (they are not
at fault).
"""
import math

from scipy.stats import chi2, norm

EXACT_Z = {"95": float(norm.ppf(0.975)), "99.8": float(norm.ppf(0.999))}
ROUNDED_Z = {"95": 1.959964, "99.8": 3.090232}
TAIL = {"95": 0.025, "99.8": 0.001}


def limits(n, level, data_type, scale, adjusted, target, tau2, z=None):
    """(lower, upper) at denominator n for level "95" or "99.8".

    data_type "PR" (scale arcsine) or "SR" (scale "SHMI" = log, "CQC" =
    square root; exact Poisson when not adjusted). z defaults to exact.
    """
    z = EXACT_Z[level] if z is None else z
    t2 = tau2 if adjusted else 0.0
    if data_type == "PR":
        centre = math.asin(math.sqrt(target))
        sd = math.sqrt(1 / (4 * n) + t2)
        low = max(0.0, centre - z * sd)
        high = min(math.pi / 2, centre + z * sd)
        return math.sin(low) ** 2, math.sin(high) ** 2
    if not adjusted:
        tail = TAIL[level]
        return (target * chi2.ppf(tail, 2 * n) / 2 / n,
                target * chi2.isf(tail, 2 * (n + 1)) / 2 / n)
    if scale == "SHMI":
        sd = math.sqrt(1 / n + t2)
        return target * math.exp(-z * sd), target * math.exp(z * sd)
    sd = math.sqrt(1 / (4 * n) + t2)
    return (target * max(0.0, 1 - z * sd) ** 2, target * (1 + z * sd) ** 2)


def flag(value, lower, upper):
    if lower <= value <= upper:
        return ""
    return "low" if value < lower else "high"
