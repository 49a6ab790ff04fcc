"""What qicharts2 0.8.1 qic() computes for the attribute charts, in Python.

A re-implementation of the computations behind qicharts2's qic(x, y, n,
chart = ..., return.data = TRUE) for the charts p, pp (Laney p'), u, up
(Laney u'), c, g and t (and i and run, which t and the tests use), with the
arguments multiply, freeze, part and exclude and the option qic.screenedmr.
Written anew from the facts of the R source; no R code is copied. Not
covered: facets (call once per series), the cl and target arguments,
agg.fun other than the default mean, x.period, the bestbox/cutbox methods,
categorical x (where pp and up use sd(z) instead of moving ranges), the
xbar, s, mr and ip charts, and the plot.

Sources read (GitHub, through the project's stored copies of public code):
- anhoej/qicharts2 R/helper.functions.R at commit 03470c0 (the version
  with qic.ip and the qic.screenedmr option, i.e. 0.8.x) and the fork
  d-morrison/qicharts2 R/helper.functions.R and R/qic.R at 2766f4b
  (version 0.8.1.9999, whose NEWS.md adds only a bchart() change after
  0.8.1). The chart functions, runs.analysis(), qic.agg() and .onAttach()
  are identical in the two.
- anhoej/qicharts2 NEWS.md at a269fd0 and DESCRIPTION there (Version
  0.8.1): 0.8.1 changed only ggplot2 calls; 0.8.0 added "option
  qic.mrscreened" and the ip chart; 0.7.4 added the 2-sigma limits and
  "screen mr during prime adjustment for pp and up charts"; 0.6.0 fixed the
  baseline centre line of g charts under freeze.
- Older versions (anhoej 919b203, 6d660d5, 61aca64) to see what changed:
  there qic.i always screened its moving ranges and had no 2-sigma
  limits, and the g centre line was the median of all points.

Facts relied on (0.8.1):
1. qic(): if n is given, rows where y or n is NA get both set to NA
   (complete.cases). So a missing numerator or denominator takes the whole
   row out; a zero denominator does not.
2. qic.agg(): rows with NA x are dropped; rows are aggregated per x (sorted
   by x): y.sum = sum(y) (NA kept when the group has one row), n = sum(n,
   na.rm = TRUE) when n is given (so an all-NA group has n = 0), y = sum(y,
   na.rm = TRUE) / n with n given (0/0 = NaN for a missing row, x/0 = Inf
   for a positive count over a zero denominator) and mean(y, na.rm = TRUE)
   without. part numbers the phases (makeparts: a phase ends after each
   position in part); xx is the position within the series; baseline = xx
   <= freeze (freeze = Inf when NULL or when part is given); include =
   xx not in exclude. Per phase: the chart function, then runs.analysis(),
   then y, cl and the four limits are multiplied by multiply. Then every
   non-finite limit becomes NA, sigma.signal = y > ucl | y < lcl with NA
   taken as FALSE. (y.neg defaults to TRUE, so no further clamping.)
3. Charts (base = baseline & include; sums and means with na.rm = TRUE):
   - p: cl = sum(y.sum[base]) / sum(n[base]); s = sqrt(cl (1 - cl) / n);
     limits cl -/+ 3s and cl -/+ 2s; finite upper limits above 1 set to 1,
     finite lower limits below 0 set to 0.
   - pp: as p, then z = (y[base] - cl) / s[base], mr = |diff(z)|, amr =
     mean(mr); with the option, mr < 3.267 amr kept and amr recomputed;
     s is multiplied by amr / 1.128. Same clamps as p.
   - u, up: as p and pp with s = sqrt(cl / n), only the lower limits
     clamped at 0.
   - c: y = y.sum; cl = mean(y[base]); s = sqrt(cl); lower limits clamped.
   - g: cl = mean(y[base]); s = sqrt(cl (cl + 1)); limits from that mean,
     lower limits < 0 set to 0; then cl = median(y[base]).
   - i: cl = mean(y[base]); mr = |diff(y[base] - cl)|; amr = mean(mr);
     screening as pp when the option is TRUE; s = amr / 1.128.
   - t: stops if min(y) <= 0 in a phase; y^(1/3.6), the i chart, then y,
     cl and all four limits ^3.6. Only lcl is then set to 0 where it is
     negative or NaN; lcl.95 of a negative transformed limit is NaN (R's
     negative^3.6) and becomes NA in qic.agg(). The returned y is
     (y^(1/3.6))^3.6, not y bit for bit.
   - run: cl = median(y[base]), no limits.
4. runs.analysis(), per phase, on the included points: signs of y - cl,
   zeros and NA dropped; n.useful = their number; if n.useful > 0:
   longest.run = longest rle run, longest.run.max = round(log2(n.useful))
   + 3, n.crossings = number of runs - 1, n.crossings.min = qbinom(0.05,
   n.useful - 1, 0.5), runs.signal = longest.run > longest.run.max or
   n.crossings < n.crossings.min; else all NA and runs.signal FALSE.
5. .onAttach() (run by library(qicharts2)) sets qic.screenedmr = TRUE;
   getOption('qic.screenedmr', default = FALSE) is used otherwise. So
   qicharts2::qic() without library() does not screen, and with it does.
   NEWS calls the option "qic.mrscreened"; the code reads
   "qic.screenedmr" (so do scripts that generate fixtures with 0.8.1).

Uncertainty: no copy of the source is labelled "0.8.1" by tag. The chart
code above is the same in the last 0.8.x commit stored for anhoej and in
the 0.8.1.9999 fork, and NEWS lists no computational change in 0.8.1, so
0.8.1 has it unless a change was made and reverted in between. As a check,
this module reproduces, to all 17 printed digits, the qicharts2 0.8.1
output published in AUS-DOH-Safety-and-Quality/PowerBI-SPC
test/fixtures/qicharts2.ts (commit d4bb4f6, "Generated ... with qicharts2
0.8.1") for the c, u, p, pp, i, up, g and t cases compared there, with
multiply, freeze, part and (t) screening; see FINDINGS.md. That file has
no runs or sigma signals: those rest on the source alone.

R arithmetic. sum() accumulates in long double and mean() adds a second
correcting pass; here sums use math.fsum and means are exact rationals
rounded once, which agree with R to the last bit or so, far below the 1e-9
tolerance. R's round() halves to even (log2 of an integer is never x.5).
qbinom() is computed from the exact binomial distribution (the smallest k
with P(X <= k) >= p); R's search applies a fuzz of about 1e-14 relative to
p, which can matter only where a CDF value lies that close to 0.05, and the
self-check shows none does for n < 2000. R's NA and NaN are both float NaN
here; no result depends on telling them apart.
"""
import math
from fractions import Fraction

NAN = float("nan")
CHARTS = ("run", "i", "t", "p", "pp", "u", "up", "c", "g")
MR_SCREEN = 3.267   # upper limit of moving ranges, times their mean
D2 = 1.128          # moving range to sigma
T_POWER = 3.6       # t chart transform y^(1/3.6)


def isnan(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


# R building blocks. -------------------------------------------------------

def r_sum(values, na_rm):
    """R sum(): NA propagates unless na_rm; empty sum is 0."""
    vals = []
    for v in values:
        if isnan(v):
            if not na_rm:
                return NAN
            continue
        vals.append(float(v))
    if any(math.isinf(v) for v in vals):
        return sum(vals)  # inf, -inf or nan as R
    return math.fsum(vals)


def r_mean(values):
    """R mean(values, na.rm = TRUE); NaN when nothing is left."""
    vals = [float(v) for v in values if not isnan(v)]
    if not vals:
        return NAN
    if any(math.isinf(v) for v in vals):
        return sum(vals) / len(vals)
    return float(sum(Fraction(v) for v in vals) / len(vals))


def r_median(values):
    """R median(values, na.rm = TRUE); NA (NaN) when nothing is left."""
    vals = sorted(float(v) for v in values if not isnan(v))
    k = len(vals)
    if k == 0:
        return NAN
    half = (k + 1) // 2
    if k % 2 == 1:
        return vals[half - 1]
    return r_mean(vals[half - 1:half + 1])


def r_diff(values):
    """R diff(): NA on either side gives NA."""
    return [b - a if not (isnan(a) or isnan(b)) else NAN
            for a, b in zip(values, values[1:])]


def r_round(x):
    """R round(x) to an integer: half to even."""
    return float(round(x))


def r_pow(base, exponent):
    """R's ^ for doubles: a negative base to a non-integer power is NaN."""
    if isnan(base):
        return NAN
    if base < 0 and not float(exponent).is_integer():
        return NAN
    if base == 0 and exponent < 0:
        return math.inf
    if math.isinf(base):
        return math.inf if exponent > 0 else 0.0
    return math.pow(base, exponent)


def binom_cdf_exact(k, size):
    """P(X <= k) for X ~ Binomial(size, 1/2), exactly."""
    return Fraction(sum(math.comb(size, j) for j in range(k + 1)), 2 ** size)


def qbinom_half(p, size):
    """R qbinom(p, size, 0.5) for 0 < p < 1: the smallest k with
    P(X <= k) >= p."""
    size = int(size)
    if size == 0:
        return 0.0
    target = Fraction(p)
    total = 0
    denom = 2 ** size
    for k in range(size + 1):
        total += math.comb(size, k)
        if Fraction(total, denom) >= target:
            return float(k)
    return float(size)


def rle_lengths(values):
    lengths = []
    prev = object()
    for v in values:
        if lengths and v == prev:
            lengths[-1] += 1
        else:
            lengths.append(1)
        prev = v
    return lengths


def r_sign(v):
    if isnan(v):
        return NAN
    return float((v > 0) - (v < 0))


def makeparts(part, count):
    """qicharts2 makeparts(): phase number of each of count points."""
    cuts = sorted({0} | {int(p) for p in (part or []) if 0 <= p < count})
    labels = []
    for i, start in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else count
        labels += [i + 1] * (end - start)
    return labels


# Charts, each on one phase (a dict of equal-length lists). ------------------

def _base(ph):
    return [b and i for b, i in zip(ph["baseline"], ph["include"])]


def _sel(values, mask):
    return [v for v, m in zip(values, mask) if m]


def _ratio_cl(ph, base):
    return _div(r_sum(_sel(ph["y_sum"], base), True),
                r_sum(_sel(ph["n"], base), True))


def _div(a, b):
    """IEEE division as R does it (x/0 = +-Inf, 0/0 = NaN)."""
    if isnan(a) or isnan(b):
        return NAN
    if b == 0:
        if a == 0:
            return NAN
        return math.copysign(math.inf, a) * (math.copysign(1.0, b))
    return a / b


def _sqrt(v):
    if isnan(v) or v < 0:
        return NAN
    return math.sqrt(v)


def _mul(a, b):
    if isnan(a) or isnan(b):
        return NAN
    if (math.isinf(a) and b == 0) or (math.isinf(b) and a == 0):
        return NAN
    return a * b


def _add(a, b):
    if isnan(a) or isnan(b):
        return NAN
    if math.isinf(a) and math.isinf(b) and a != b:
        return NAN
    return a + b


def _limits(ph, cl, stdev):
    ph["cl"] = [cl] * len(stdev)
    ph["ucl"] = [_add(cl, _mul(3.0, s)) for s in stdev]
    ph["ucl_95"] = [_add(cl, _mul(2.0, s)) for s in stdev]
    ph["lcl"] = [_add(cl, -_mul(3.0, s)) if not isnan(s) else NAN
                 for s in stdev]
    ph["lcl_95"] = [_add(cl, -_mul(2.0, s)) if not isnan(s) else NAN
                    for s in stdev]


def _clamp(values, lo=None, hi=None, finite_only=True):
    out = []
    for v in values:
        if isnan(v) or (finite_only and math.isinf(v)):
            out.append(v)
        elif lo is not None and v < lo:
            out.append(lo)
        elif hi is not None and v > hi:
            out.append(hi)
        else:
            out.append(v)
    return out


def _screened_amr(mr, screenedmr):
    amr = r_mean(mr)
    if screenedmr:
        ulmr = MR_SCREEN * amr
        kept = [m for m in mr if isnan(m) or m < ulmr]
        amr = r_mean(kept)
    return amr


def _prime_sigma(ph, base, cl, stdev, screenedmr):
    z = [_div(_add(y, -cl), s)
         for y, s in zip(_sel(ph["y"], base), _sel(stdev, base))]
    mr = [abs(d) if not isnan(d) else NAN for d in r_diff(z)]
    amr = _screened_amr(mr, screenedmr)
    return amr / D2 if not isnan(amr) else NAN


def chart_p(ph, screenedmr=False, prime=False):
    base = _base(ph)
    cl = _ratio_cl(ph, base)
    stdev = [_sqrt(_div(_mul(cl, 1 - cl), n)) for n in ph["n"]]
    if prime:
        sigma_z = _prime_sigma(ph, base, cl, stdev, screenedmr)
        stdev = [_mul(s, sigma_z) for s in stdev]
    _limits(ph, cl, stdev)
    for k in ("ucl", "ucl_95"):
        ph[k] = _clamp(ph[k], hi=1.0)
    for k in ("lcl", "lcl_95"):
        ph[k] = _clamp(ph[k], lo=0.0)


def chart_u(ph, screenedmr=False, prime=False):
    base = _base(ph)
    cl = _ratio_cl(ph, base)
    stdev = [_sqrt(_div(cl, n)) for n in ph["n"]]
    if prime:
        sigma_z = _prime_sigma(ph, base, cl, stdev, screenedmr)
        stdev = [_mul(s, sigma_z) for s in stdev]
    _limits(ph, cl, stdev)
    for k in ("lcl", "lcl_95"):
        ph[k] = _clamp(ph[k], lo=0.0)


def chart_c(ph, screenedmr=False):
    base = _base(ph)
    ph["y"] = list(ph["y_sum"])
    cl = r_mean(_sel(ph["y"], base))
    _limits(ph, cl, [_sqrt(cl)] * len(ph["y"]))
    for k in ("lcl", "lcl_95"):
        ph[k] = _clamp(ph[k], lo=0.0)


def chart_g(ph, screenedmr=False):
    base = _base(ph)
    mean = r_mean(_sel(ph["y"], base))
    _limits(ph, mean, [_sqrt(_mul(mean, _add(mean, 1.0)))] * len(ph["y"]))
    for k in ("lcl", "lcl_95"):   # no is.finite() guard in qic.g
        ph[k] = _clamp(ph[k], lo=0.0, finite_only=False)
    ph["cl"] = [r_median(_sel(ph["y"], base))] * len(ph["y"])


def chart_i(ph, screenedmr=False):
    base = _base(ph)
    cl = r_mean(_sel(ph["y"], base))
    mr = [abs(d) if not isnan(d) else NAN
          for d in r_diff([_add(y, -cl) for y in _sel(ph["y"], base)])]
    amr = _screened_amr(mr, screenedmr)
    stdev = amr / D2 if not isnan(amr) else NAN
    _limits(ph, cl, [stdev] * len(ph["y"]))


class TimeBetweenEventsError(ValueError):
    """qicharts2 stops: 'Time between events must be greater than zero'."""


def chart_t(ph, screenedmr=False):
    ys = [v for v in ph["y"] if not isnan(v)]
    if ys and min(ys) <= 0:
        raise TimeBetweenEventsError(
            "Time between events must be greater than zero")
    ph["y"] = [r_pow(v, 1 / T_POWER) for v in ph["y"]]
    chart_i(ph, screenedmr)
    for k in ("y", "cl", "ucl", "ucl_95", "lcl", "lcl_95"):
        ph[k] = [r_pow(v, T_POWER) for v in ph[k]]
    ph["lcl"] = [0.0 if isnan(v) or v < 0 else v for v in ph["lcl"]]


def chart_run(ph, screenedmr=False):
    base = _base(ph)
    ph["cl"] = [r_median(_sel(ph["y"], base))] * len(ph["y"])
    for k in ("ucl", "ucl_95", "lcl", "lcl_95"):
        ph[k] = [NAN] * len(ph["y"])


CHART_FUNS = {
    "run": chart_run,
    "i": chart_i,
    "t": chart_t,
    "p": chart_p,
    "pp": lambda ph, screenedmr: chart_p(ph, screenedmr, prime=True),
    "u": chart_u,
    "up": lambda ph, screenedmr: chart_u(ph, screenedmr, prime=True),
    "c": chart_c,
    "g": chart_g,
}


def runs_analysis(ph):
    y = _sel(ph["y"], ph["include"])
    cl = _sel(ph["cl"], ph["include"])
    signs = [r_sign(_add(a, -b)) for a, b in zip(y, cl)]
    runs = [s for s in signs if not isnan(s) and s != 0]
    n_useful = len(runs)
    out = {"n_obs": len(y), "n_useful": n_useful}
    if n_useful:
        lengths = rle_lengths(runs)
        longest = max(lengths)
        longest_max = r_round(math.log2(n_useful)) + 3
        crossings = max(len(lengths) - 1, 0)
        crossings_min = qbinom_half(0.05, max(n_useful - 1, 0))
        out.update(longest_run=float(longest), longest_run_max=longest_max,
                   n_crossings=float(crossings),
                   n_crossings_min=crossings_min,
                   runs_signal=longest > longest_max or
                   crossings < crossings_min)
    else:
        out.update(longest_run=NAN, longest_run_max=NAN, n_crossings=NAN,
                   n_crossings_min=NAN, runs_signal=False)
    return out


# qic(). ----------------------------------------------------------------------

def qic(x, y, n=None, chart="run", multiply=1, freeze=None, part=None,
        exclude=None, screenedmr=False):
    """qicharts2 0.8.1 qic(x, y, n, chart, multiply, freeze, part, exclude,
    return.data = TRUE) with options(qic.screenedmr = screenedmr), for one
    series (no facets). x: sortable keys (several rows may share one; they
    are aggregated as qicharts2 does); y, n: numbers or None/NaN for NA;
    n None for the charts without a denominator. Returns one dict per
    distinct x in x order, with qicharts2's column names (dots as
    underscores): x, y, n, y_sum, y_length, cl, lcl, ucl, lcl_95, ucl_95,
    part, xx, baseline, include, n_obs, n_useful, longest_run,
    longest_run_max, n_crossings, n_crossings_min, runs_signal,
    sigma_signal. Raises TimeBetweenEventsError where qicharts2 stops."""
    if chart not in CHART_FUNS:
        raise ValueError("chart not covered: %r" % chart)
    got_n = n is not None
    ys = [NAN if isnan(v) else float(v) for v in y]
    ns = ([NAN if isnan(v) else float(v) for v in n] if got_n
          else [NAN] * len(ys))
    if len(ys) != len(x) or len(ns) != len(x):
        raise ValueError("x, y and n differ in length")
    if got_n:  # complete.cases(y, n)
        for i in range(len(ys)):
            if isnan(ys[i]) or isnan(ns[i]):
                ys[i] = ns[i] = NAN
    freeze = math.inf if freeze is None or part is not None else freeze
    exclude = set(exclude or [])

    groups = {}
    for xi, yi, ni in zip(x, ys, ns):
        if xi is None:
            continue
        groups.setdefault(xi, []).append((yi, ni))
    keys = sorted(groups)
    rows = []
    for xi in keys:
        gy = [g[0] for g in groups[xi]]
        gn = [g[1] for g in groups[xi]]
        y_sum = r_sum(gy, na_rm=len(gy) > 1)
        if got_n:
            n_sum = r_sum(gn, na_rm=True)
            y_val = _div(r_sum(gy, na_rm=True), n_sum)
        else:
            n_sum = NAN
            y_val = r_mean(gy)
        rows.append({"x": xi, "y_sum": y_sum, "n": n_sum, "y": y_val,
                     "y_length": float(sum(not isnan(v) for v in gy))})
    parts = makeparts(part, len(rows))
    for i, r in enumerate(rows):
        r["part"] = parts[i]
        r["xx"] = i + 1
        r["baseline"] = (i + 1) <= freeze
        r["include"] = (i + 1) not in exclude

    out = []
    for p in sorted(set(parts)):
        prow = [r for r in rows if r["part"] == p]
        ph = {k: [r[k] for r in prow]
              for k in ("y", "y_sum", "n", "baseline", "include")}
        CHART_FUNS[chart](ph, screenedmr)
        ra = runs_analysis(ph)
        for k in ("y", "cl", "lcl", "lcl_95", "ucl_95", "ucl"):
            ph[k] = [_mul(v, float(multiply)) for v in ph[k]]
        for j, r in enumerate(prow):
            r.update({k: ph[k][j] for k in
                      ("y", "cl", "lcl", "lcl_95", "ucl_95", "ucl")})
            r.update(ra)
            out.append(r)
    for r in out:
        for k in ("ucl", "ucl_95", "lcl", "lcl_95"):
            if isnan(r[k]) or math.isinf(r[k]):
                r[k] = NAN
        y, ucl, lcl = r["y"], r["ucl"], r["lcl"]
        above = None if isnan(y) or isnan(ucl) else y > ucl
        below = None if isnan(y) or isnan(lcl) else y < lcl
        r["sigma_signal"] = bool(above or below)   # R: NA | TRUE is TRUE
    return out
