#!/usr/bin/env python3
"""Independent values for tests/chance/test_significance.cpp, computed with scipy (>= 1.15 for
poisson_binom). Run: python3 tests/chance/make_reference_values.py; paste the printed tables."""
from fractions import Fraction

import scipy
from scipy import stats

print("// scipy", scipy.__version__)
print("// poisson_upper_tail(k, lambda) = scipy.stats.poisson.sf(k - 1, lambda)")
for k, lam in [(1, 0.5), (3, 0.5), (10, 2.0), (50, 10.0), (5, 20.0), (100, 100.0), (150, 100.0),
               (1000, 900.0), (1, 1e-6), (30, 3.0)]:
    print("  {%d, %.17g, %.17g}," % (k, lam, stats.poisson.sf(k - 1, lam)))
print("// binomial_upper_tail(k, n, p) = scipy.stats.binom.sf(k - 1, n, p)")
for k, n, p in [(1, 10, 0.1), (5, 10, 0.1), (10, 10, 0.1), (3, 20000, 5e-5), (10, 20000, 5e-5),
                (40, 100000, 2e-4), (15, 100000, 2e-4), (500, 1000, 0.5), (2, 3, 0.999),
                (120, 100000, 1e-3), (60, 20000, 1e-3)]:
    print("  {%d, %d, %.17g, %.17g}," % (k, n, p, stats.binom.sf(k - 1, n, p)))
# scipy's poisson_binom.sf is 1 - cdf, which loses the far tail (it gives 8e-15 where the exact
# value is 1e-17): the tails are also computed exactly in rational arithmetic.
def exact_sf(k, ps):
    ps = [Fraction(x).limit_denominator(10**9) for x in ps]
    f = [Fraction(1)]
    for x in ps:
        g = [Fraction(0)] * (len(f) + 1)
        for j, v in enumerate(f):
            g[j] += v * (1 - x)
            g[j + 1] += v * x
        f = g
    return float(sum(f[max(k, 0):]))
print("// poisson_binomial_upper_tail(k, p): scipy.stats.poisson_binom(p).sf(k - 1), exact")
ps = [0.1, 0.5, 0.02, 0.9, 0.3, 0.001, 0.25, 0.6]
for k in range(0, 10):
    print("  {%d, %.17g, %.17g}," % (k, stats.poisson_binom(ps).sf(k - 1), exact_sf(k, ps)))
small = [1e-3 * (1 + i % 7) for i in range(200)]
for k in [1, 3, 8, 15]:
    print("  {%d, %.17g, %.17g}," % (k, stats.poisson_binom(small).sf(k - 1), exact_sf(k, small)))
print("// BH of binom.sf: clonotypes, observed, q_any")
ns, obs, qa = [20000, 50000, 100000, 20000], [3, 25, 18, 9], 2e-4
p = [stats.binom.sf(o - 1, n, qa) for n, o in zip(ns, obs)]
q = stats.false_discovery_control(p, method="bh")
for a, b in zip(p, q):
    print("  p=%.17g q=%.17g" % (a, b))
