#!/usr/bin/env python3
"""Independent reference values for tests/screen/test_stats.cpp.

Prints, for each case the C++ tests check, the value computed here by scipy (1.17) or, where scipy
itself is only accurate to ~1e-9 (hypergeometric tails and the conditional odds ratio at totals of
1e6-1e7 reads), by mpmath at 50 significant digits. The numbers were pasted into test_stats.cpp;
rerun this script to regenerate them:

    pip install scipy mpmath && python3 tests/screen/make_reference_values.py
"""
import itertools
import math

import mpmath as mp
import numpy as np
from scipy.stats import false_discovery_control, fisher_exact, permutation_test
from scipy.stats.contingency import odds_ratio

mp.mp.dps = 50


def show(label, value):
    print(f"{label} = {float(value)!r}")


# --- Fisher's exact test and odds ratios (scipy) ------------------------------------------------
TABLES = [
    [[3, 1], [1, 3]],      # Fisher's tea tasting (R fisher.test example)
    [[8, 2], [1, 5]],      # scipy docstring example
    [[0, 5], [3, 4]],      # zero cell: a = 0
    [[5, 0], [3, 4]],      # zero cell: b = 0
    [[0, 3], [4, 0]],      # two zero cells on the diagonal
    [[0, 0], [3, 4]],      # zero row
    [[0, 5], [0, 4]],      # zero column
    [[1, 4], [4, 1]],      # mirror-symmetric margins: P(1) = P(4), two-sided counts both
    [[5, 5], [5, 5]],      # observed table at the mode
    [[2, 7], [8, 2]],      # small, asymmetric
    [[7, 12], [0, 15]],
]
print("# fisher: greater, less, two-sided, conditional OR, sample OR")
for t in TABLES:
    g = fisher_exact(t, alternative="greater").pvalue
    le = fisher_exact(t, alternative="less").pvalue
    s = fisher_exact(t, alternative="two-sided").pvalue
    c = odds_ratio(t, kind="conditional").statistic
    so = odds_ratio(t, kind="sample").statistic
    print(f"{t}: {float(g)!r}, {float(le)!r}, {float(s)!r}, {float(c)!r}, {float(so)!r}")


# --- Large margins: exact hypergeometric tails by mpmath -----------------------------------------
def lchoose(n, k):
    return mp.loggamma(n + 1) - mp.loggamma(k + 1) - mp.loggamma(n - k + 1)


def pmf(k, white, black, draws):
    return mp.e ** (lchoose(white, k) + lchoose(black, draws - k) - lchoose(white + black, draws))


def tail(a, b, c, d, step):
    white, black, draws = a + b, c + d, a + c
    lo, hi = max(0, draws - black), min(white, draws)
    total, k = mp.mpf(0), a
    while lo <= k <= hi:
        term = pmf(k, white, black, draws)
        total += term
        if term < total * mp.mpf("1e-45"):
            break
        k += step
    return total


def cmle(a, b, c, d):
    white, black, draws = a + b, c + d, a + c
    lo, hi = max(0, draws - black), min(white, draws)
    ks = range(lo, hi + 1)
    logs = [lchoose(white, k) + lchoose(black, draws - k) for k in ks]

    def excess(theta):
        ws = [lg + theta * k for lg, k in zip(logs, ks)]
        top = max(ws)
        w = [mp.e ** (x - top) for x in ws]
        return sum(wi * k for wi, k in zip(w, ks)) / sum(w) - a

    start = math.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)))
    return mp.e ** mp.findroot(excess, start)


LARGE = [
    [[12, 1], [9_999_988, 9_999_999]],      # 1e7 reads each, a clonotype 12 vs 1
    [[30, 2], [999_970, 1_199_998]],        # FEST-like: 30 sorted reads of 1e6, 2 reference of 1.2e6
    [[42, 43], [310_542, 471_909]],
    [[498, 623], [8_703_349, 4_290_931]],   # p ~ 1e-54 (less)
    [[1635, 659], [4_581_531, 7_905_444]],  # p ~ 1e-247 (greater)
]
print("# large margins: greater (mpmath), less (mpmath), two-sided (scipy), conditional OR (mpmath), "
      "greater (scipy), conditional OR (scipy)")
for t in LARGE:
    (a, b), (c, d) = t
    g = tail(a, b, c, d, +1)
    le = tail(a, b, c, d, -1)
    s = fisher_exact(t, alternative="two-sided").pvalue
    co = cmle(a, b, c, d)
    print(f"{t}: {mp.nstr(g, 17)}, {mp.nstr(le, 17)}, {float(s)!r}, {mp.nstr(co, 17)}, "
          f"{float(fisher_exact(t, alternative='greater').pvalue)!r}, "
          f"{float(odds_ratio(t).statistic)!r}")

# --- Benjamini-Hochberg --------------------------------------------------------------------------
print("# bh")
for ps in ([0.01, 0.02, 0.02, 0.5, 0.04], [0.9, 0.001, 0.03, 0.03, 0.03, 0.2, 1.0, 0.0],
           [0.2], [0.04, 0.01, 0.03]):
    print(ps, "->", [float(x) for x in false_discovery_control(ps, method="bh")])


# --- DFR: permutation test of the difference in means (scipy, exact) -----------------------------
def diff_means(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def dfr(test, control, factor):
    ctrl = [factor * v for v in control]
    res = permutation_test((test, ctrl), diff_means, permutation_type="independent",
                           alternative="greater", n_resamples=np.inf, vectorized=True)
    return res.pvalue, res.statistic


DFR_CASES = [
    ([30, 35, 40], [5, 8, 6], 1),                              # 3 vs 3: p = 1/20
    ([30, 35, 40], [10, 12, 20], 2),                           # 3 vs 3, DFR(2x)
    ([60, 52, 71, 66, 58, 49], [11, 9, 14, 10, 8, 12], 2),     # 6 vs 6 strong: p = 1/924
    ([16, 12, 19, 14, 11, 20], [10, 9, 12, 8, 11, 13], 1),     # 6 vs 6 moderate
    ([16, 12, 19, 14, 11, 20], [10, 9, 12, 8, 11, 13], 2),
    ([5, 5, 5], [5, 5, 5], 1),                                 # all wells equal: p = 1
    ([4, 6, 6], [6, 6, 2, 4], 1),                              # ties
    ([1.25, 2.5], [0.31, 0.4, 0.35, 0.28, 0.5], 2),            # flow-like percentages
    ([0, 0, 1], [0, 0, 0, 0], 1),
]
print("# dfr: p, statistic (1 vs 1 wells is left to a hand count: scipy needs >= 2 per group)")
for test, control, factor in DFR_CASES:
    p, stat = dfr(test, control, factor)
    print(f"{test} vs {control} x{factor}: {float(p)!r}, {float(stat)!r}")

# Monte Carlo regime: the exact p the Monte Carlo estimate must approach.
mc_test = [22, 25, 19, 30, 27, 24, 21, 26, 28, 23]
mc_ctrl = [18, 20, 17, 22, 19, 21, 16, 23, 20, 18, 19, 24]
p, stat = dfr(mc_test, mc_ctrl, 1)
print(f"# monte carlo case exact p (C(22,10) = {math.comb(22, 10)}): {float(p)!r}, {float(stat)!r}")


# --- Westfall-Young step-down max-T (an independent implementation of Dudoit et al. 2003 Box 2) ---
def westfall_young(tests, control, factor):
    ctrl = [factor * v for v in control]
    n, wells = len(tests[0]), len(tests[0]) + len(ctrl)
    pooled = [list(t) + ctrl for t in tests]  # wells aligned by their order (replicate columns)

    def stat(row, pick):
        s = sum(row[i] for i in pick)
        return s / n - (sum(row) - s) / (wells - n)

    observed = [stat(row, range(n)) for row in pooled]
    order = sorted(range(len(tests)), key=lambda k: -observed[k])
    counts = [0] * len(tests)
    raw = [0] * len(tests)
    total = 0
    for pick in itertools.combinations(range(wells), n):
        total += 1
        t = [stat(row, pick) for row in pooled]
        for k in range(len(tests)):
            raw[k] += t[k] >= observed[k] - 1e-12 * abs(observed[k])
        u = -math.inf
        for j in reversed(range(len(tests))):
            u = max(u, t[order[j]])
            counts[j] += u >= observed[order[j]] - 1e-12 * abs(observed[order[j]])
    adjusted = [0.0] * len(tests)
    running = 0.0
    for j, k in enumerate(order):
        running = max(running, counts[j] / total)
        adjusted[k] = running
    return [r / total for r in raw], adjusted


wy_tests = [[18, 12, 16], [13, 17, 11], [9, 12, 10], [13, 14, 12], [30, 26, 35]]
wy_ctrl = [10, 8, 12, 9, 11, 7]
for factor in (1, 2):
    raw, adj = westfall_young(wy_tests, wy_ctrl, factor)
    print(f"# westfall-young x{factor}: raw {raw} adjusted {adj}")

# --- FEST-style enrichment of one comparison (scipy) ---------------------------------------------
sorted_pop = {1: 30, 2: 100, 3: 5, 4: 500, 6: 12}
sorted_pop[99] = 1_000_000 - sum(sorted_pop.values())
reference_pop = {1: 2, 2: 95, 4: 480, 5: 1000}
reference_pop[99] = 1_200_000 - sum(reference_pop.values())
s_total, r_total = sum(sorted_pop.values()), sum(reference_pop.values())
tested = sorted(k for k, v in sorted_pop.items() if v >= 10)
for alternative in ("greater", "two-sided"):
    tables = {k: [[sorted_pop[k], reference_pop.get(k, 0)],
                  [s_total - sorted_pop[k], r_total - reference_pop.get(k, 0)]] for k in tested}
    ps = [fisher_exact(tables[k], alternative=alternative).pvalue for k in tested]
    qs = false_discovery_control(ps, method="bh")
    print(f"# enrichment {alternative}: key, p, q, conditional OR")
    for k, p, q in zip(tested, ps, qs):
        print(f"{k}: {float(p)!r}, {float(q)!r}, {float(odds_ratio(tables[k]).statistic)!r}")
