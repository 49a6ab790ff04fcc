"""What FunnelPlotR 0.5.0 funnel_plot() computes per group, in Python.

A re-implementation from the package's documented behaviour and source
(R/funnel_plot.R, aggregate_func.R, od_adjustment.R, build_limits_lookup.R,
calculate_limits.R, outliers_func.R of CRAN FunnelPlotR 0.5.0), written anew:
no R code is copied. It covers data_type "PR" and "SR" (sr_method "SHMI" and
"CQC"), draw_adjusted, draw_unadjusted, trim_by, multiplier and
SHMI_rounding; not "RC", not the plot.

It reproduces FunnelPlotR's results, faults included, so that Vigil can be
compared with it. The known faults, all kept here on purpose:

1. Arcsine wrap-round (PR). A limit is sin^2(angle) of an angle that is not
   clamped to [0, pi/2]: past 0 (or pi/2) sin^2 comes back up (down). Only a
   limit that is non-monotone against the *next* row of the lookup table
   (the grid and the data's denominators, sorted) is truncated to 0 (or 1),
   so the last wrapped denominator keeps a wrong lower limit above 0 (upper
   below 1). A group's limit therefore depends on which other denominators
   are in the data.
2. CQC limits are not squared: 1 -/+ z sqrt(s^2 + tau2) on the O/E scale,
   about half as wide as (1 -/+ z sqrt(s^2 + tau2))^2.
3. z is hard-coded as 1.959964 and 3.090232, not qnorm(0.975), qnorm(0.999).
4. With draw_adjusted TRUE, draw_unadjusted FALSE and phi <= 1 the
   unadjusted limits are used, but phi and tau2 are still reported, and
   tau2 can be > 0 there (n phi >= n - 1 while phi <= 1).
5. draw_adjusted FALSE reports phi = 0 and tau2 = 0 (not estimated).
6. draw_adjusted and draw_unadjusted both FALSE flag no outlier at all.
7. SHMI: O = 0 gives log(0) = -Inf in the z-scores (FunnelPlotR issue 17);
   it ranks lowest and is truncated, so phi is unaffected, but the group's
   value on the scale is -Inf.
8. SHMI_rounding (default TRUE) rounds the expected counts to 2 dp after
   the values O/E are taken: the z-scores, phi, tau2 and limits use the
   rounded E, the value judged against them the unrounded one (R round();
   Python's round() is used here, which agrees except on exact decimal
   ties).
9. Only the 95% and 99.8% levels exist; outliers are judged at one of them
   (limit = 95 or 99); this returns flags at both, as two runs would.
10. SHMI truncation keeps the groups with floor(rank * k / (n + 1)) in
    1..k - 2 (k = 1 / trim_by): not always symmetric (n = 119 drops 11 at
    the bottom, 12 at the top).

Sums use math.fsum (R accumulates in long double): results can differ from
R's in the last bit or two, far below any tolerance used here.
"""
import math

from scipy.stats import chi2

Z95 = 1.959964
Z998 = 3.090232
LEVELS = ("95", "99.8")


def r_seq(start, stop, length_out):
    """R seq(start, stop, length.out=n) for doubles, n > 2."""
    n1 = length_out - 1
    step = (stop - start) / n1
    return [start] + [start + i * step for i in range(1, n1)] + [stop]


def r_quantile7(values, prob):
    """R quantile(values, prob, type = 7, na.rm = TRUE)."""
    x = sorted(v for v in values if not math.isnan(v))
    index = 1 + max(len(x) - 1, 0) * prob
    lo = math.floor(index)
    hi = math.ceil(index)
    q = x[lo - 1]
    if index > lo and x[hi - 1] != q:
        h = index - lo
        q = (1 - h) * q + h * x[hi - 1]
    return q


def r_rank_average(values):
    """R rank(values, ties.method = "average"), NaN ranked last in order."""
    order = sorted((i for i, v in enumerate(values) if not math.isnan(v)),
                   key=lambda i: values[i])
    ranks = [0.0] * len(values)
    pos = 0
    while pos < len(order):
        end = pos
        while end + 1 < len(order) and values[order[end + 1]] == \
                values[order[pos]]:
            end += 1
        for j in range(pos, end + 1):
            ranks[order[j]] = (pos + 1 + end + 1) / 2
        pos = end + 1
    nxt = len(order)
    for i, v in enumerate(values):
        if math.isnan(v):
            nxt += 1
            ranks[i] = float(nxt)
    return ranks


def aggregate(groups, numerators, denominators):
    """Sums by group (aggregate_func); groups in sorted order."""
    sums = {}
    for g, x, n in zip(groups, numerators, denominators):
        acc = sums.setdefault(g, ([], []))
        acc[0].append(float(x))
        acc[1].append(float(n))
    return [(g, math.fsum(sums[g][0]), math.fsum(sums[g][1]))
            for g in sorted(sums)]


def _log(x):
    if x == 0:
        return -math.inf
    return math.log(x)


def transformed_zscores(num, den, data_type, sr_method):
    """(s, unadjusted z) per group, as transformed_zscore()."""
    out = []
    if data_type == "PR":
        target_t = math.asin(math.sqrt(math.fsum(num) / math.fsum(den)))
    for x, n in zip(num, den):
        if data_type == "PR":
            s = 1 / (2 * math.sqrt(n))
            z = (math.asin(math.sqrt(x / n)) - target_t) / s
        elif sr_method == "SHMI":
            s = 1 / math.sqrt(n)
            z = math.sqrt(n) * _log(x / n)
        else:
            s = 1 / (2 * math.sqrt(n))
            z = (math.sqrt(x / n) - 1) / s
        out.append((s, z))
    return out


def winsorise(z, trim_by):
    lz = r_quantile7(z, trim_by)
    uz = r_quantile7(z, 1 - trim_by)
    return [v if math.isnan(v) else lz if v < lz else uz if v > uz else v
            for v in z]


def truncate(z, trim_by):
    """NaN for the groups dropped by SHMI truncation, else z."""
    k = 1 / trim_by
    maxk = k - 1
    mink = 0.0
    ranks = r_rank_average(z)
    out = []
    for v, rk in zip(z, ranks):
        sp = math.floor(rk * k / (len(ranks) + 1))
        out.append(v if mink < sp < maxk else math.nan)
    return out


def tau2_func(n, phi, s):
    """tau_func(): DerSimonian-Laird tau^2, 0 when n phi < n - 1."""
    if len(s) == 0:
        return 0.0
    if n * phi < n - 1:
        return 0.0
    w = [1 / (v * v) for v in s]
    sw = math.fsum(w)
    return max(0.0, (n * phi - (n - 1))
               / (sw - math.fsum(v * v for v in w) / sw))


def _sq(x):
    return x * x


def pr_limits(rows, target, tau2, multiplier):
    """calculate_limits() "PR" over the sorted lookup rows: the four limit
    columns (ll95, ul95, ll998, ul998), clamped to [0, multiplier], then the
    non-monotone truncation against the next row."""
    a = math.asin(math.sqrt(target))
    cols = [[], [], [], []]
    for n in rows:
        sd = math.sqrt(_sq(1 / (2 * math.sqrt(n))) + tau2)
        cols[0].append(multiplier * _sq(math.sin(a - Z95 * sd)))
        cols[1].append(multiplier * _sq(math.sin(a + Z95 * sd)))
        cols[2].append(multiplier * _sq(math.sin(a - Z998 * sd)))
        cols[3].append(multiplier * _sq(math.sin(a + Z998 * sd)))
    for c in (0, 2):
        cols[c] = [0.0 if v < 0 else v for v in cols[c]]
    for c in (1, 3):
        cols[c] = [multiplier if v > multiplier else v for v in cols[c]]
    for c in range(4):
        old = cols[c]
        new = list(old)
        for i in range(len(old) - 1):
            if c in (0, 2) and old[i] > old[i + 1]:
                new[i] = 0.0
            if c in (1, 3) and old[i] < old[i + 1]:
                new[i] = multiplier
        cols[c] = new
    return cols


def sr_limits(rows, adjusted, sr_method, tau2, multiplier):
    """calculate_limits() "SR" (target 1): exact Poisson via chi-square when
    unadjusted, else SHMI (log) or CQC (square root, unsquared)."""
    cols = [[], [], [], []]
    for n in rows:
        if not adjusted:
            vals = (chi2.isf(0.975, 2 * n) / 2 / n,
                    chi2.isf(0.025, 2 * (n + 1)) / 2 / n,
                    chi2.isf(0.999, 2 * n) / 2 / n,
                    chi2.isf(0.001, 2 * (n + 1)) / 2 / n)
        elif sr_method == "SHMI":
            sd = math.sqrt(1 / n + tau2)
            vals = (math.exp(-Z95 * sd), math.exp(Z95 * sd),
                    math.exp(-Z998 * sd), math.exp(Z998 * sd))
        else:
            sd = math.sqrt(_sq(1 / (2 * math.sqrt(n))) + tau2)
            vals = (1 - Z95 * sd, 1 + Z95 * sd, 1 - Z998 * sd, 1 + Z998 * sd)
        for c in range(4):
            cols[c].append(multiplier * float(vals[c]))
    return cols


def limits_lookup(denominators, data_type, sr_method, tau2, target,
                  multiplier):
    """build_limits_lookup(): {denominator: {"adjusted": 4 limits,
    "unadjusted": 4 limits}} over the grid and the data's denominators."""
    max_x = float(math.ceil(max(denominators)))
    start = 1.1 if data_type == "SR" else 3.0
    rows = sorted(set(r_seq(start, max_x, 1000)) | set(denominators))
    table = {}
    for kind, adj in (("adjusted", True), ("unadjusted", False)):
        t2 = tau2 if adj else 0.0
        if data_type == "PR":
            cols = pr_limits(rows, target, t2, multiplier)
        else:
            cols = sr_limits(rows, adj, sr_method, t2, multiplier)
        for i, n in enumerate(rows):
            table.setdefault(n, {})[kind] = tuple(c[i] for c in cols)
    return table


def flag(value, lower, upper):
    """outliers_func(): inside when lower <= value <= upper."""
    if lower <= value <= upper:
        return ""
    return "low" if value < lower else "high"


def funnel_plot(groups, numerators, denominators, data_type="SR",
                draw_adjusted=True, draw_unadjusted=False, sr_method="SHMI",
                trim_by=0.1, multiplier=1, shmi_rounding=True):
    """FunnelPlotR::funnel_plot() results.

    Returns {"target", "phi", "tau2", "adjusted", "phi_estimated",
    "tau2_estimated", "groups": {group: row}}, each row with numerator,
    denominator, value, lower_95, upper_95, lower_99.8, upper_99.8,
    flag_95, flag_99.8 (limits of the set used: adjusted if adjusted).
    """
    if data_type not in ("PR", "SR") or sr_method not in ("SHMI", "CQC"):
        raise ValueError("data_type PR or SR, sr_method SHMI or CQC")
    agg = aggregate(groups, numerators, denominators)
    # The value (rr) is taken before the SHMI rounding of the expected.
    values = {g: x / n * multiplier for g, x, n in agg}
    if data_type == "SR" and sr_method == "SHMI" and shmi_rounding:
        agg = [(g, x, round(n, 2)) for g, x, n in agg]
    num = [x for _, x, _ in agg]
    den = [n for _, _, n in agg]
    target = 1.0 if data_type == "SR" else math.fsum(num) / math.fsum(den)
    sz = transformed_zscores(num, den, data_type, sr_method)
    z = [v for _, v in sz]
    if data_type == "SR" and sr_method == "SHMI":
        kept = truncate(z, trim_by)
    else:
        kept = winsorise(z, trim_by)
    used = [(w, s) for w, (s, _) in zip(kept, sz) if not math.isnan(w)]
    n = float(len(used))
    phi = (1 / n) * math.fsum(w * w for w, _ in used)
    tau2 = tau2_func(n, phi, [s for _, s in used])
    phi_estimated, tau2_estimated = phi, tau2
    if not draw_adjusted:
        phi, tau2 = 0.0, 0.0
    if draw_adjusted and not draw_unadjusted and phi <= 1:
        draw_adjusted, draw_unadjusted = False, True
    table = limits_lookup(den, data_type, sr_method, tau2, target,
                          multiplier)
    kind = "adjusted" if draw_adjusted else "unadjusted"
    judged = draw_adjusted or draw_unadjusted
    out = {}
    for g, x, d in agg:
        lims = table[d][kind]
        value = values[g]
        row = {"numerator": x, "denominator": d, "value": value,
               "lower_95": lims[0], "upper_95": lims[1],
               "lower_99.8": lims[2], "upper_99.8": lims[3]}
        for i, level in enumerate(LEVELS):
            row["flag_" + level] = (
                flag(value, lims[2 * i], lims[2 * i + 1]) if judged else "")
        out[g] = row
    return {"target": target, "phi": phi, "tau2": tau2,
            "adjusted": draw_adjusted,
            "phi_estimated": phi_estimated,
            "tau2_estimated": tau2_estimated, "groups": out}
