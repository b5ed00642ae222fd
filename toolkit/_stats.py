"""Exact confidence intervals for counts and rates, without SciPy.

The intervals are the classical exact ones: Garwood's interval for a Poisson mean and the
Clopper-Pearson interval for a binomial proportion, found by bisection on the cumulative
distribution, which is summed in log space (counts in this field stay in the thousands at most).
"""

from __future__ import annotations

import math

from .errors import FormatError

__all__ = ["binomial_ci", "poisson_ci"]

_ITERATIONS = 200


def _check(conf: float) -> float:
    if not 0 < conf < 1:
        raise FormatError(
            f"conf={conf!r} is not accepted (expected a level between 0 and 1, e.g. 0.95)"
        )
    return (1 - conf) / 2


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    if mu <= 0:
        return 1.0
    log_mu = math.log(mu)
    terms = [i * log_mu - mu - math.lgamma(i + 1) for i in range(k + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def _bisect(function, low: float, high: float) -> float:
    """Root of a decreasing ``function`` on [low, high]."""
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        if function(middle) > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def poisson_ci(k: int, conf: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count ``k``.

    >>> [round(x, 3) for x in poisson_ci(10)]
    [4.795, 18.39]
    """
    k = int(k)
    if k < 0:
        raise FormatError(f"k={k} is not accepted (expected a count >= 0)")
    tail = _check(conf)
    high_bound = k + 20 * math.sqrt(k + 1) + 20
    # upper: P(X <= k | mu) = tail ; P(X <= k) decreases in mu
    upper = _bisect(lambda mu: _poisson_cdf(k, mu) - tail, 0.0, high_bound)
    if k == 0:
        return 0.0, upper
    # lower: P(X >= k | mu) = tail, i.e. P(X <= k - 1 | mu) = 1 - tail
    lower = _bisect(lambda mu: _poisson_cdf(k - 1, mu) - (1 - tail), 0.0, high_bound)
    return lower, upper


def _binomial_cdf(x: int, n: int, p: float) -> float:
    """P(X <= x) for X ~ Binomial(n, p)."""
    if p <= 0:
        return 1.0
    if p >= 1:
        return 1.0 if x >= n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    base = math.lgamma(n + 1)
    terms = [
        base - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        for i in range(x + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def binomial_ci(x: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) confidence interval for a proportion ``x`` of ``n``.

    >>> [round(v, 4) for v in binomial_ci(3, 10)]
    [0.0667, 0.6525]
    """
    x, n = int(x), int(n)
    if n < 1 or not 0 <= x <= n:
        raise FormatError(f"x={x}, n={n} is not accepted (expected 0 <= x <= n and n >= 1)")
    tail = _check(conf)
    lower = 0.0 if x == 0 else _bisect(lambda p: _binomial_cdf(x - 1, n, p) - (1 - tail), 0, 1)
    upper = 1.0 if x == n else _bisect(lambda p: _binomial_cdf(x, n, p) - tail, 0, 1)
    return lower, upper
