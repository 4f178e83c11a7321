# Run: /usr/bin/python3 scripts/nn_math_fixtures.py   (needs Debian's python3-mpmath; writes test/fixtures/nn-math.json)
"""
High-precision reference values for optimlab's pure-arithmetic math functions
(src/models/math.ts, assembly/nn/math.ts), checked by test/nn-math.test.ts.

For each function (exp, expm1, log, log1p, tanh, erf) a fixed, seeded list of double
arguments x (Python's random with seed 14; uniform and log-uniform samples over the
domain, dense near 0, near the branch points of the implementation and near overflow
and underflow) and, computed with mpmath 1.2.1 (Debian python3-mpmath) at 256 bits:

  [x, y, frac]   y = the exact value rounded to the nearest double (float(mpf)),
                 frac = (exact − y) / ulp(y), in [−1/2, 1/2]

so that a test measures the error of an implementation in ULPs of the result as
(ours − y)/ulp(y) − frac without any arithmetic beyond doubles. ulp(y) is 2^(e−52) for
|y| in [2^e, 2^(e+1)) and 2^−1074 for subnormal y. Points whose result overflows are left
out (JSON has no Infinity). Python's `math` provides frexp/ldexp for the ULPs and a
cross-check: math.exp/log/log1p/expm1/tanh/erf must agree with the rounded value
within 2 ULP at every point (glibc's own bound for tanh) (the script stops otherwise).

Deterministic: running it twice gives byte-identical output.
"""
import json
import math
import os
import random

import mpmath as mp

mp.mp.prec = 256
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
rnd = random.Random(14)


def ulp(y):
    if y == 0 or abs(y) < 2.0 ** -1022:
        return 2.0 ** -1074
    _, e = math.frexp(abs(y))  # |y| = m·2^e, m in [0.5, 1)
    return math.ldexp(1.0, e - 53)


def uniform(a, b, n):
    return [rnd.uniform(a, b) for _ in range(n)]


def log_uniform(lo_exp, hi_exp, n, signed=False):
    out = []
    for _ in range(n):
        v = 10.0 ** rnd.uniform(lo_exp, hi_exp)
        out.append(-v if signed and rnd.random() < 0.5 else v)
    return out


def near(points, width, n_each):
    out = []
    for p in points:
        out.extend(p + rnd.uniform(-width, width) for _ in range(n_each))
    return out


LN2 = math.log(2)
FUNCTIONS = {
    "exp": (mp.exp, math.exp, lambda: uniform(-745.1, 709.7, 400) + uniform(-3, 3, 300) + log_uniform(-20, 0, 150, True)
            + near([k * LN2 for k in range(-6, 7)] + [(k + 0.5) * LN2 for k in range(-6, 6)], 1e-6, 4)
            + uniform(-745.1, -708, 80) + uniform(700, 709.78, 40)),
    "expm1": (mp.expm1, math.expm1, lambda: uniform(-40, 44, 300) + uniform(-1.2, 1.2, 400) + log_uniform(-20, 0, 200, True)
              + near([(k + 0.5) * LN2 for k in range(-3, 3)], 1e-6, 10) + uniform(700, 709.78, 20)),
    "log": (mp.log, math.log, lambda: log_uniform(-320, 308, 400) + uniform(0.5, 2, 400) + [1 + rnd.uniform(-1e-6, 1e-6) for _ in range(150)]
            + near([math.sqrt(2), math.sqrt(0.5)], 1e-9, 20) + log_uniform(-323, -308, 40)),
    "log1p": (mp.log1p, math.log1p, lambda: log_uniform(-20, 300, 300) + uniform(-0.999999, 2, 400) + log_uniform(-20, 0, 150, True)
              + [-1 + 10.0 ** rnd.uniform(-15, -1) for _ in range(100)] + near([math.sqrt(2) - 1, math.sqrt(0.5) - 1, 1.0], 1e-9, 20)),
    "tanh": (mp.tanh, math.tanh, lambda: uniform(-1, 1, 400) + uniform(-25, 25, 300) + log_uniform(-20, 0, 200, True)
             + near([math.log(3) / 2, -math.log(3) / 2], 1e-3, 50) + uniform(0.3, 1.2, 150)),
    "erf": (mp.erf, math.erf, lambda: uniform(-6.5, 6.5, 500) + uniform(-1.2, 1.2, 300) + log_uniform(-20, 0, 150, True)
            + near([1 + 0.5 * k for k in range(11)] + [-1.0, -3.5], 1e-4, 12)),
}


def main():
    out = {
        "source": "mpmath 1.2.1 at 256 bits (Debian python3-mpmath); scripts/nn_math_fixtures.py",
        "format": "[x, y, frac]: y the exact f(x) rounded to double, frac = (exact - y)/ulp(y)",
        "functions": {},
    }
    for name, (f, check, points) in FUNCTIONS.items():
        rows = []
        for x in points():
            exact = f(mp.mpf(x))
            y = float(exact)
            if math.isinf(y):
                continue
            frac = float((exact - mp.mpf(y)) / mp.mpf(ulp(y)))
            assert abs(frac) <= 0.5 + 1e-12, (name, x, frac)
            c = check(x)
            assert abs(c - y) <= 2 * ulp(y) * 1.0000001, (name, x, c, y)
            rows.append([x, y, frac])
        out["functions"][name] = rows
        print(f"{name}: {len(rows)} points")
    with open(os.path.join(ROOT, "test", "fixtures", "nn-math.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
