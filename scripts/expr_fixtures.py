# Run: /usr/bin/python3 scripts/expr_fixtures.py   (Debian's python3-sympy 1.11.1 with python3-mpmath 1.2.1;
#      not needed by the tests, which read the committed test/fixtures/expr-sympy.json)
"""
Exact values and gradients of formulas in optimlab's formula language, computed
symbolically by SymPy, for test/expr.test.ts to compare the tape interpreter
against (an independent differentiator: sympy.diff on sympy's own parse of
the text, evaluated with mpmath at 40 significant digits, then rounded to f64).

The language maps onto SymPy's parser directly: `^` is `**` (convert_xor),
with the same precedence (`-2^2` = −4, `2^3^2` = 512, `2^-1` = 0.5); decimal
literals are read as the exact decimals they spell (rationalize); the
functions map to SymPy's as in NAMES below (log2(u) = log(u, 2), cbrt(u) =
the real cube root, hypot(a, b) = sqrt(a² + b²)). Points are f64s, taken
exactly as rationals. Deterministic (fixed seed); running it twice gives a
byte-identical file.
"""
import json
import os
import random

import mpmath
import sympy
from sympy.parsing.sympy_parser import convert_xor, parse_expr, rationalize, standard_transformations

X, Y = sympy.symbols("x y", real=True)
XS = sympy.symbols("x1:7", real=True)

NAMES = {
    "x": X, "y": Y, **{f"x{i + 1}": s for i, s in enumerate(XS)},
    "pi": sympy.pi, "e": sympy.E,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log,
    "log2": lambda u: sympy.log(u, 2), "log10": lambda u: sympy.log(u, 10), "sqrt": sympy.sqrt,
    "cbrt": lambda u: sympy.real_root(u, 3), "abs": sympy.Abs, "sign": sympy.sign,
    "min": sympy.Min, "max": sympy.Max, "atan2": sympy.atan2, "hypot": lambda a, b: sympy.sqrt(a**2 + b**2),
    "pow": lambda a, b: a**b,
}

# (formula, box half-width): points are uniform in [-w, w] per coordinate, away from
# kinks and domain edges by construction of the formulas.
FORMULAS = [
    ("(1 - x)^2 + 100*(y - x^2)^2", 2),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", 4),
    ("sin(x)*cos(y) + (x^2 + y^2)/10", 4),
    ("-2^2*x + 2^3^2*y/512 + 2^-1 + 2**3*x*y", 3),
    ("exp(-(x^2 + y^2)/2)*cos(3*x) - log(1 + x^2*y^2)", 2),
    ("tan(x/3) + asin(y/5)*acos(x/6) + atan(x*y)", 2),
    ("sinh(x/2) - cosh(y/3) + tanh(x - y)", 3),
    ("log2(2 + x^2) + log10(3 + y^4) + cbrt(x^2*y + 9)", 2),
    ("sqrt(x^2 + y^2 + 1) + abs(x - 1/3)*sign(y - 0.25) + min(x, y^2) - max(x^2, y)", 2),
    ("atan2(y, x + 3) + hypot(x, 2*y + 5) + pow(x^2 + 1, y/3) + (1 + y^2)^x", 2),
    ("(x^2 + 1)^-2 + (y^2 + 2)^-3 + (x^2 + 0.5)^0.5 + (y^2 + 1)^1.5", 2),
    ("2^x*e^-y + pi*x - e*y^3", 2),
    ("x^7 - 3*x^5*y + y^6/7 - x*y^4", 1.5),
    ("1/(x - 3) + y/(x^2 + 1) - (x*y)/(y^2 + 4)", 2),
    ("exp(sin(x)*y) + log(cosh(x) + y^2) - sqrt(hypot(x, y) + 1)", 2),
    ("x1^2 + 2*x2^2 + 3*x3^2 - x1*x3 + sin(x4)", 2),
    ("(1 - x1)^2 + 100*(x2 - x1^2)^2 + (1 - x2)^2 + 100*(x3 - x2^2)^2", 1.5),
    ("exp(x1*x2*x3) + x4^3*x5 - cos(x6 - x1)", 1),
    ("x^3", 3),
    ("pow(x, 3) + pow(y^2 + 1, -2)", 3),
]

POINTS = 25
TRANSFORMS = standard_transformations + (convert_xor, rationalize)


def exact(v):
    return sympy.Rational(v)  # a float's exact value


def f64(v):
    return float(mpmath.mpf(sympy.N(v, 40)))


def main():
    rng = random.Random(20260412)
    out = []
    for text, w in FORMULAS:
        expr = parse_expr(text, local_dict=NAMES, transformations=TRANSFORMS, evaluate=True)
        indexed = any(f"x{i + 1}" in text for i in range(6))
        syms = [s for s in XS if s in expr.free_symbols] if indexed else [X, Y]
        if indexed:
            syms = list(XS[: max(XS.index(s) for s in syms) + 1])
        grads = [sympy.diff(expr, s) for s in syms]
        points = []
        for _ in range(POINTS):
            p = [rng.uniform(-w, w) for _ in syms]
            if syms == [X, Y] and abs(p[1]) < 0.2 and "y^-" in text.replace(" ", ""):
                p[1] = 0.5  # stay away from the pole of y^-n
            sub = {s: exact(v) for s, v in zip(syms, p)}
            value = f64(expr.subs(sub))
            grad = [f64(g.subs(sub)) for g in grads]
            points.append({"x": p, "value": value, "grad": grad})
        out.append({"expr": text, "dim": len(syms), "points": points})
    doc = {
        "source": "scripts/expr_fixtures.py with SymPy %s, mpmath %s (Debian python3-sympy, python3-mpmath); exact values rounded to f64" % (sympy.__version__, mpmath.__version__),
        "formulas": out,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "expr-sympy.json")
    # One point per line: readable diffs without a line per number.
    lines = ["{", ' "source": %s,' % json.dumps(doc["source"]), ' "formulas": [']
    for k, e in enumerate(out):
        lines.append('  {"expr": %s, "dim": %d, "points": [' % (json.dumps(e["expr"]), e["dim"]))
        lines += ["   %s%s" % (json.dumps(p), "," if i + 1 < len(e["points"]) else "") for i, p in enumerate(e["points"])]
        lines.append("  ]}%s" % ("," if k + 1 < len(out) else ""))
    lines += [" ]", "}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", path, sum(len(e["points"]) for e in out), "points")


if __name__ == "__main__":
    main()
