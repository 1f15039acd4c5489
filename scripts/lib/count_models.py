"""Random counts for the synthetic screen (scripts/make-screen), exact samplers written with the
standard library only so that a seed gives the same bytes on any Python 3 (numpy is not used).

Every draw goes through the caller's random.Random, so the same calls in the same order give the
same numbers.
"""
import math


def poisson(rng, lam):
    """Poisson(lam). lam < 10: Knuth's multiplication method (TAOCP vol. 2, 3rd ed., 3.4.1 F);
    otherwise Hormann's transformed rejection with squeeze, PTRS (W. Hormann, "The transformed
    rejection method for generating Poisson random variables", Insurance: Mathematics and
    Economics 12:39-45, 1993), as numpy's random_poisson_ptrs implements it."""
    if lam <= 0:
        return 0
    if lam < 10:
        limit = math.exp(-lam)
        k, prod = 0, rng.random()
        while prod > limit:
            k += 1
            prod *= rng.random()
        return k
    slam, loglam = math.sqrt(lam), math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - abs(u)
        if us <= 0 or v <= 0:
            continue
        k = math.floor((2 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - math.lgamma(k + 1):
            return k


def negative_binomial(rng, mean, size):
    """Negative binomial with the given mean and size (dispersion) k: variance mean + mean^2/k.
    Drawn as the gamma-Poisson mixture (Greenwood & Yule, J R Stat Soc 83:255-279, 1920):
    lambda ~ Gamma(shape k, scale mean/k), then Poisson(lambda)."""
    if mean <= 0:
        return 0
    return poisson(rng, rng.gammavariate(size, mean / size))


def binomial(rng, n, p):
    """Binomial(n, p) by the first waiting-time method (L. Devroye, Non-Uniform Random Variate
    Generation, Springer 1986, X.4.3): count geometric gaps until they pass n. Expected work
    n * min(p, 1 - p) + 1 draws."""
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    log_q = math.log1p(-p)
    k = total = 0
    while True:
        total += math.floor(math.log(1.0 - rng.random()) / log_q) + 1  # geometric on {1, 2, ...}
        if total > n:
            return k
        k += 1


def log_uniform(rng, lo, hi):
    """A value whose logarithm is uniform on [log lo, log hi]."""
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def lognormal_factor(rng, sigma):
    """A multiplicative noise factor with median 1: exp(N(0, sigma^2))."""
    return math.exp(rng.gauss(0.0, sigma))
