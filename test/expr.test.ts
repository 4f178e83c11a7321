// The formula language on the reference (src/expr/): grammar and precedence,
// errors for every kind of bad text, dimensions and spec fields, the
// derivative conventions, values and gradients against SymPy (fixtures from
// scripts/expr_fixtures.py) and against central finite differences on random
// formulas, and formulas restating built-ins against the built-ins' runs.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isFieldError } from "../src/errors.js";
import { createFunction, type FunctionSpec, type TestFunction } from "../src/functions/index.js";
import { ALLOWED_NAMES, FUNCTIONS, MAX_DEPTH, MAX_LENGTH, parseFormula } from "../src/expr/index.js";
import { normalizeSpec, runMany } from "../src/run.js";
import { mangledText, RESTATED, RESTATED_OPTIMIZERS, smoothFormula, trajectoryGap } from "./expr-gen.js";
import { fieldOf } from "./field-error.js";

/** The column a formula's error carries (through the field-error prefixing of createFunction). */
const columnOf = (expr: string): number | undefined => {
  try {
    createFunction({ expr });
  } catch (e) {
    return (e as { column?: number }).column;
  }
  return undefined;
};
const f = (expr: string, extra: Record<string, unknown> = {}, dim?: number) => createFunction({ expr, ...extra } as FunctionSpec, dim);
const at = (expr: string, ...x: number[]) => f(expr).value(x.length ? x : [0, 0]);
const gradAt = (expr: string, x: number[], dim?: number): number[] => {
  const fn = f(expr, {}, dim);
  const g = new Array<number>(fn.dim).fill(NaN);
  fn.valueAndGrad(x, g);
  return g;
};

describe("grammar", () => {
  it("follows the stated precedence and associativity", () => {
    const cases: [string, number][] = [
      ["-2^2", -4],
      ["2^3^2", 512],
      ["2^-1", 0.5],
      ["2**3", 8],
      ["2**3**2", 512],
      ["-2^-2", -0.25],
      ["2^-1^2", 0.5],
      ["2 + 3 * 4", 14],
      ["(2 + 3) * 4", 20],
      ["8 / 4 / 2", 1],
      ["2 - 3 - 4", -5],
      ["-3 - -3", 0],
      ["+2 * -3", -6],
      ["1.5e2 + .5 + 1. + 2E-1 + 3e+0", 154.7],
      ["pi", Math.PI],
      ["e", Math.E],
      ["e^1", Math.E],
      ["2*pi - 2*e", 2 * Math.PI - 2 * Math.E],
      [" \t(1 +\n 2) ", 3],
    ];
    for (const [text, v] of cases) expect(at(text), text).toBe(v);
    expect(at("-x^2", 3, 0)).toBe(-9);
    expect(at("x^y^2", 2, 3)).toBe(512);
  });

  it("maps every function name onto its operation", () => {
    const a = 0.7,
      b = -0.4;
    const expected: Record<string, number> = {
      sin: Math.sin(a),
      cos: Math.cos(a),
      tan: Math.tan(a),
      asin: Math.asin(a),
      acos: Math.acos(a),
      atan: Math.atan(a),
      sinh: Math.sinh(a),
      cosh: Math.cosh(a),
      tanh: Math.tanh(a),
      exp: Math.exp(a),
      log: Math.log(a),
      log2: Math.log2(a),
      log10: Math.log10(a),
      sqrt: Math.sqrt(a),
      cbrt: Math.cbrt(a),
      abs: Math.abs(a),
      sign: 1,
      min: Math.min(a, b),
      max: Math.max(a, b),
      atan2: Math.atan2(a, b),
      hypot: Math.hypot(a, b),
      pow: Math.pow(a, b),
    };
    expect(new Set(FUNCTIONS.keys())).toEqual(new Set(Object.keys(expected)));
    for (const [name, [, arity]] of FUNCTIONS) {
      const text = arity === 1 ? `${name}(x)` : `${name}(x, y)`;
      expect(f(text).value([a, b]), text).toBe(expected[name]);
    }
  });

  it("folds constant arguments with the same operation as it runs", () => {
    for (const [name, [, arity]] of FUNCTIONS) {
      const folded = arity === 1 ? `${name}(0.7)` : `${name}(0.7, -0.4)`;
      const run = arity === 1 ? `${name}(x)` : `${name}(x, y)`;
      expect((f(folded).params.tape as unknown as Float64Array)[1], folded).toBe(1); // one CONST op: folded
      expect(at(folded), folded).toBe(at(run, 0.7, -0.4));
    }
  });

  it("evaluates a+b+c as (a+b)+c and a*b*c as (a*b)*c, without reassociating", () => {
    const [x, y] = [0.1, 0.7];
    expect(at("x + y + 0.3", x, y)).toBe(x + y + 0.3);
    expect(at("0.3 + (x + y)", x, y)).toBe(0.3 + (x + y));
    expect(at("x * y * 3.3", x, y)).toBe(x * y * 3.3);
    expect(at("x / y / 3", x, y)).toBe(x / y / 3);
  });
});

describe("integer powers", () => {
  it("are the documented multiplication chain, on constants too", () => {
    for (const x of [1.1, -0.7, 3.3e-5, 123.456]) {
      const x2 = x * x;
      expect(at("x^2", x, 0)).toBe(x2);
      expect(at("x^3", x, 0)).toBe(x2 * x);
      expect(at("x^4", x, 0)).toBe(x2 * x2);
      expect(at("x^5", x, 0)).toBe(x2 * x2 * x);
      expect(at("x^6", x, 0)).toBe(x2 * x * (x2 * x));
      expect(at("x^7", x, 0)).toBe(x2 * x * (x2 * x) * x);
      expect(at("x^-3", x, 0)).toBe(1 / (x2 * x));
      expect(at("x^0", x, 0)).toBe(1);
      expect(at("x^1", x, 0)).toBe(x);
      expect(at("x^3.0", x, 0)).toBe(x2 * x);
    }
    expect(at("1.01^5")).toBe(1.01 * 1.01 * (1.01 * 1.01) * 1.01);
    expect(at("1.01^5")).not.toBe(Math.pow(1.01, 5)); // the chain, not pow
    expect(at("x^5", 1.01, 0)).not.toBe(Math.pow(1.01, 5));
  });

  it("pow(a, n) compiles to the same tape as a^n", () => {
    for (const [a, b] of [
      ["pow(x, 3)", "x^3"],
      ["pow(x - y, -2)", "(x - y)^-2"],
      ["pow(x, 0.5)", "x^0.5"],
      ["pow(x, y)", "x^y"],
    ]) {
      expect(f(a).params.tape, a).toEqual(f(b).params.tape);
    }
  });

  it("other constant exponents use the power rule; variable ones the general rule", () => {
    expect(at("x^0.5", 2, 0)).toBe(Math.pow(2, 0.5));
    expect(gradAt("x^0.5", [4, 0])[0]).toBe(0.5 * Math.pow(4, -0.5));
    expect(gradAt("x^2.5", [2, 0])[0]).toBe(2.5 * Math.pow(2, 1.5));
    // (1 − x)² for x > 1: finite (the general rule would take log(1 − x) < 0's log)
    expect(gradAt("(1 - x)^2", [3, 0])).toEqual([4, 0]);
    expect(gradAt("(1 - x)^3", [3, 0])).toEqual([-12, 0]);
    const g = gradAt("x^y", [2, 3]);
    expect(g[0]).toBe(3 * Math.pow(2, 2));
    expect(g[1]).toBe(8 * Math.log(2));
  });
});

describe("derivative conventions at kinks", () => {
  it("abs′(0) = 0, sign′ = 0", () => {
    expect(gradAt("abs(x)", [0, 0])).toEqual([0, 0]);
    expect(gradAt("abs(x)", [2, 0])).toEqual([1, 0]);
    expect(gradAt("abs(x)", [-2, 0])).toEqual([-1, 0]);
    expect(gradAt("abs(x - y)", [1, 1])).toEqual([0, 0]);
    for (const x of [-3, 0, 1e-300, 5]) expect(gradAt("sign(x) * 7 + y", [x, 1])).toEqual([0, 1]);
    expect([at("sign(x)", -3, 0), at("sign(x)", 0, 0), at("sign(x)", 2, 0)]).toEqual([-1, 0, 1]);
  });

  it("min and max: a tie takes the first argument's derivative", () => {
    expect(gradAt("min(x, y)", [1, 1])).toEqual([1, 0]);
    expect(gradAt("min(y, x)", [1, 1])).toEqual([0, 1]);
    expect(gradAt("max(x, y)", [1, 1])).toEqual([1, 0]);
    expect(gradAt("max(2*y, x)", [2, 1])).toEqual([0, 2]);
    expect(gradAt("min(x, y)", [2, 1])).toEqual([0, 1]);
    expect(gradAt("max(x, y)", [2, 1])).toEqual([1, 0]);
    expect(gradAt("min(x^2, 3*y)", [1, 2])).toEqual([2, 0]);
  });

  it("sqrt′ and log′ at 0 are +∞ (the IEEE values of 0.5/√x and 1/x); hypot and atan2 have gradient 0 at the origin", () => {
    expect(gradAt("sqrt(x)", [0, 0])).toEqual([Infinity, 0]);
    expect(gradAt("log(x)", [0, 0])).toEqual([Infinity, 0]);
    expect(at("log(x)", 0, 0)).toBe(-Infinity);
    expect(gradAt("cbrt(x)", [0, 0])).toEqual([Infinity, 0]);
    expect(gradAt("hypot(x, y)", [0, 0])).toEqual([0, 0]);
    expect(gradAt("atan2(y, x)", [0, 0])).toEqual([0, 0]);
    expect(gradAt("sqrt(x^2 + y^2)", [0, 0]).every(Number.isNaN)).toBe(true); // ∞·0, as PyTorch: write hypot(x, y)
    expect(gradAt("hypot(x, y)", [3, 4])).toEqual([0.6, 0.8]);
  });

  it("a^b with a = 0 gives the exponent no derivative; unused parts of a formula never reach the gradient", () => {
    expect(gradAt("x^y", [0, 2])).toEqual([0, 0]);
    expect(gradAt("sqrt(x)^0 + y", [0, 5])).toEqual([0, 1]);
    expect(gradAt("log(x)^0 * y", [0, 5])).toEqual([0, 1]);
    expect(gradAt("x*0 + 0*y", [2, 3])).toEqual([0, 0]);
  });
});

describe("variables and dimensions", () => {
  it("x and y make a 2-D function, also when only x (or nothing) appears", () => {
    for (const text of ["x^2", "y", "3", "x + y"]) expect(f(text).dim, text).toBe(2);
    expect(gradAt("x^2", [3, 5])).toEqual([6, 0]);
    expect(gradAt("7", [3, 5])).toEqual([0, 0]);
  });

  it("x1 … xn make an n-D function: the highest index, or dim when larger", () => {
    expect(f("x1^2 + x3").dim).toBe(3);
    expect(gradAt("x1^2 + x3", [2, 9, 9])).toEqual([4, 0, 1]);
    expect(f("x1", { dim: 5 }).dim).toBe(5);
    expect(f("x1", {}, 4).dim).toBe(4);
    expect(f("x2", { dim: 3 }, 3).dim).toBe(3);
    expect(f("x1^2").dim).toBe(1);
    expect(f("x1 + x2").start).toEqual([-2, -2]);
    expect(f("x + y").start).toEqual([-2, 2]);
    expect(f("x1", { dim: 3 }).start).toEqual([-2, -2, -2]);
  });

  it("refuses mixed forms, x0, and dimensions that do not fit", () => {
    expect(fieldOf(() => f("x + x2"))).toMatchObject({ field: "expr", message: expect.stringMatching(/^expr: x2 mixes .* at column 5/) });
    expect(fieldOf(() => f("x1 * y"))).toMatchObject({ field: "expr", message: expect.stringContaining("at column 6") });
    expect(fieldOf(() => f("x0"))).toMatchObject({ kind: "TypeError", field: "expr", message: expect.stringContaining("numbered from x1") });
    expect(fieldOf(() => f("x3", { dim: 2 }))).toMatchObject({ field: "dim", message: expect.stringContaining("at least 3") });
    expect(fieldOf(() => f("x3", {}, 2))).toMatchObject({ field: "dim" });
    expect(fieldOf(() => f("x + y", { dim: 3 }))).toMatchObject({ field: "dim", message: expect.stringContaining("2-D") });
    expect(fieldOf(() => f("x", {}, 3))).toMatchObject({ field: "dim" });
    expect(fieldOf(() => f("x2", { dim: 3 }, 4))).toMatchObject({ field: "dim" });
    expect(fieldOf(() => f("x2000000"))).toMatchObject({ field: "expr" });
  });
});

describe("the other fields of a formula spec", () => {
  it("domain defaults to [−4, 4]², grown to include the start; minima get their values from the formula", () => {
    expect(f("x^2 + y^2").domain).toEqual({ x: [-4, 4], y: [-4, 4] });
    expect(f("x^2 + y^2", { start: [5, -1] }).domain).toEqual({ x: [-4, 5.8], y: [-4, 4] });
    expect(f("x^2", { domain: { x: [0, 1], y: [2, 3] }, start: [0.5, 2.5] }).domain).toEqual({ x: [0, 1], y: [2, 3] });
    const m = f("(x - 1)^2 + (y + 2)^2 + 3", { minima: [{ x: [1, -2] }, { x: [0, 0], kind: "local" }] }).minima;
    expect(m).toEqual([
      { x: [1, -2], value: 3, kind: "global" },
      { x: [0, 0], value: 8, kind: "local" },
    ]);
    expect(f("x", { label: "my line" }).label).toBe("my line");
    expect(f("x").label).toBe("x");
    expect(f("x").expr).toBe("x");
  });

  it("refuses bad fields, naming them", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ expr: "x", label: 3 }, "label"],
      [{ expr: "x", label: "" }, "label"],
      [{ expr: "x", label: "a".repeat(201) }, "label"],
      [{ expr: "x", domain: { x: [1, 0], y: [0, 1] } }, "domain.x"],
      [{ expr: "x", domain: { x: [0, 1] } }, "domain.y"],
      [{ expr: "x", domain: { x: [0, 1], y: [0, 1], z: [0, 1] } }, "z"],
      [{ expr: "x", start: [1] }, "start"],
      [{ expr: "x", start: [1, NaN] }, "start[1]"],
      [{ expr: "x", minima: [{ x: [1] }] }, "minima[0].x"],
      [{ expr: "x", minima: [{ x: [1, 2], value: 3 }] }, "minima[0].value"],
      [{ expr: "x", minima: [{ x: [1, 2], kind: "best" }] }, "minima[0].kind"],
      [{ expr: "log(x)", minima: [{ x: [-1, 0] }] }, "minima[0].x"],
      [{ expr: "x", dim: 2.5 }, "dim"],
      [{ expr: "x", colour: "red" }, "colour"],
      [{ expr: "x", name: "rosenbrock" }, "name"],
      [{ expr: 3 }, "expr"],
      [{ expr: null }, "expr"],
    ];
    for (const [spec, field] of cases) expect(fieldOf(() => createFunction(spec as unknown as FunctionSpec)).field, JSON.stringify(spec)).toBe(field);
  });
});

describe("bad text", () => {
  const cases: [string, RegExp, number | undefined][] = [
    ["(x + 1", /^expr: expected "\)" at column 7 \(to close the "\(" at column 1\)$/, 7],
    ["sin(x", /^expr: expected "\)" at column 6/, 6],
    ["x)", /^expr: unexpected "\)" at column 2/, 2],
    ["((x) + y))", /^expr: unexpected "\)" at column 10/, 10],
    ["", /^expr: empty formula at column 1/, 1],
    ["   ", /^expr: empty formula/, 1],
    ["x +", /^expr: expected a number, a name or "\(" at column 4/, 4],
    ["x * / y", /^expr: expected a number, a name or "\(" at column 5/, 5],
    ["foo", /^expr: unknown name "foo" at column 1; allowed: x, y/, 1],
    ["1 + foo(x)", /^expr: unknown function "foo" at column 5; allowed: /, 5],
    ["__proto__", /^expr: unknown name "__proto__" at column 1/, 1],
    ["constructor", /^expr: unknown name "constructor"/, 1],
    ["__proto__(x)", /^expr: unknown function "__proto__"/, 1],
    ["constructor(1)", /^expr: unknown function "constructor"/, 1],
    ["toString(x) + hasOwnProperty", /^expr: unknown function "toString"/, 1],
    ["x + valueOf", /^expr: unknown name "valueOf" at column 5/, 5],
    ["sin(x, y)", /^expr: sin takes 1 argument at column 1; got 2$/, 1],
    ["2 * atan2(x)", /^expr: atan2 takes 2 arguments at column 5; got 1$/, 5],
    ["min()", /^expr: min takes 2 arguments at column 1; got 0$/, 1],
    ["hypot(x, y, 1)", /^expr: hypot takes 2 arguments at column 1; got 3$/, 1],
    ["pow(x)", /^expr: pow takes 2 arguments/, 1],
    ["x y", /^expr: expected an operator or the end of the formula at column 3 \(write \* to multiply\)/, 3],
    ["2x", /at column 2/, 2],
    ["(x)(y)", /at column 4/, 4],
    ["x(2)", /^expr: x is not a function at column 2/, 2],
    ["pi(2)", /^expr: pi is not a function/, 3],
    ["sin + 1", /^expr: sin is a function at column 1/, 1],
    ["x, y", /^expr: unexpected "," at column 2/, 2],
    ["2^", /^expr: expected a number, a name or "\(" at column 3/, 3],
    ["1e999 * x", /^expr: number 1e999 is too large at column 1/, 1],
    ["x × y", /^expr: unexpected character "×" at column 3 \(write \* for multiplication\)/, 3],
    ["x² + y", /unexpected character "²" at column 2 \(write \^2/, 2],
    ["x = 1", /unexpected character "=" at column 3/, 3],
    ["1.2.3", /at column 4/, 4],
    ["x +* 2", /at column 4/, 4],
  ];
  for (const [text, re, column] of cases) {
    it(JSON.stringify(text), () => {
      const e = fieldOf(() => f(text));
      expect(e.field).toBe("expr");
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain("\n");
      expect(columnOf(text)).toBe(column);
    });
  }

  it("an unknown name lists every allowed one", () => {
    const msg = fieldOf(() => f("sinus(x)")).message;
    for (const name of ["x, y", "x1 … xn", "pi", "e", ...[...FUNCTIONS.keys()].map((n) => n + "()")]) expect(msg).toContain(name);
    expect(msg).toContain(ALLOWED_NAMES);
  });

  it("limits length and nesting with errors, never a stack overflow", () => {
    const terms = Array.from({ length: 20_000 }, () => "x").join("+");
    expect(fieldOf(() => f(terms))).toMatchObject({
      kind: "RangeError",
      field: "expr",
      message: `expr: is ${terms.length} characters long; at most ${MAX_LENGTH} are allowed`,
    });
    const parens = "(".repeat(5000) + "x" + ")".repeat(5000);
    expect(fieldOf(() => f(parens))).toMatchObject({ field: "expr", message: expect.stringContaining("at most 10000") });
    // within the length limit, nesting is what stops it
    expect(fieldOf(() => f("(".repeat(300) + "x" + ")".repeat(300))).message).toBe(`expr: nesting deeper than ${MAX_DEPTH} levels at column 257`);
    expect(fieldOf(() => f("-".repeat(400) + "x")).message).toMatch(/^expr: nesting deeper than 256 levels at column 257/);
    expect(fieldOf(() => f("x^".repeat(400) + "2")).message).toMatch(/^expr: nesting deeper than 256/);
    expect(fieldOf(() => f("sin(".repeat(300) + "x" + ")".repeat(300))).message).toMatch(/nesting deeper than 256 levels at column 1028/);
    // at the limits it works
    expect(f("(".repeat(256) + "x" + ")".repeat(256)).value([3, 0])).toBe(3);
    const many = Array.from({ length: 4999 }, () => "x").join("+");
    expect(many.length).toBeLessThanOrEqual(MAX_LENGTH);
    expect(f(many).value([1, 0])).toBe(4999);
    expect(gradAt(many, [1, 0])).toEqual([4999, 0]);
    const long = Array.from({ length: 1800 }, (_v, k) => `x${k + 1}`).join("*");
    expect(long.length).toBeLessThanOrEqual(MAX_LENGTH);
    expect(f(long).dim).toBe(1800);
  });

  it("nothing but a field error ever leaves the parser, with a column inside the text", () => {
    fc.assert(
      fc.property(mangledText, (text) => {
        try {
          parseFormula(text).tape(Math.max(2, parseFormula(text).highest));
        } catch (e) {
          if (!isFieldError(e) || e.field !== "expr" || e.message.includes("\n")) throw e;
          if (e.column !== undefined && !(e.column >= 1 && e.column <= text.length + 1)) throw new Error(`column ${e.column} outside ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 3000, seed: 120412 },
    );
  });

  it("run specs name function.expr and keep the column", () => {
    const spec = { function: { expr: "(x + 1" }, optimizer: { name: "sgd", lr: 0.1 }, steps: 1 };
    const e = fieldOf(() => normalizeSpec(spec));
    expect(e.message).toBe('function.expr: expected ")" at column 7 (to close the "(" at column 1)');
    try {
      normalizeSpec(spec);
    } catch (err) {
      expect((err as { column?: number }).column).toBe(7);
    }
    expect(fieldOf(() => normalizeSpec({ ...spec, function: { expr: "x", start: [1] } })).field).toBe("function.start");
    expect(normalizeSpec({ ...spec, function: { expr: "x1 + x2" }, x0: [1, 2, 3, 4] }).x0).toEqual([1, 2, 3, 4]);
  });
});

// ------------------------------------------------ against SymPy and finite differences

interface Fixture {
  expr: string;
  dim: number;
  points: { x: number[]; value: number; grad: number[] }[];
}
const fixtures = (JSON.parse(readFileSync(new URL("./fixtures/expr-sympy.json", import.meta.url), "utf8")) as { formulas: Fixture[] }).formulas;

describe("values and gradients against SymPy (test/fixtures/expr-sympy.json)", () => {
  // Each value is f64 arithmetic on the formula as written, so it carries a few rounding
  // errors of its largest intermediate terms; 1e-13 of max(1, |exact|) leaves room for
  // that (the measured worst is printed below) and fails on any wrong derivative.
  const TOL = 1e-13;
  let worst = 0;
  for (const fx of fixtures) {
    it(`${fx.expr} (${fx.points.length} points)`, () => {
      const fn = f(fx.expr, {}, fx.dim);
      expect(fn.dim).toBe(fx.dim);
      const g = new Float64Array(fx.dim);
      for (const p of fx.points) {
        const v = fn.valueAndGrad(p.x, g);
        const check = (got: number, want: number, what: string) => {
          const err = Math.abs(got - want) / Math.max(1, Math.abs(want));
          worst = Math.max(worst, err);
          if (!(err <= TOL)) expect.fail(`${fx.expr} at ${p.x}: ${what} ${got} vs SymPy ${want} (relative ${err})`);
        };
        check(v, p.value, "value");
        p.grad.forEach((want, k) => check(g[k], want, `∂/∂x${k + 1}`));
      }
    });
  }
  it("(worst relative error)", () => {
    console.log(`formulas vs SymPy: worst error ${worst.toExponential(2)} of max(1, |exact|)`);
    expect(worst).toBeLessThanOrEqual(TOL);
  });
});

describe("gradients against central finite differences on random formulas", () => {
  it("agree within the differences' own error", () => {
    let checked = 0;
    fc.assert(
      fc.property(smoothFormula, fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), (text, x, y) => {
        const fn = f(text);
        const g = [0, 0];
        fn.valueAndGrad([x, y], g);
        for (let k = 0; k < 2; k++) {
          // Richardson-extrapolated central differences: O(h⁴) truncation at h = 1e-3.
          const d = (h: number) => {
            const p = [x, y],
              q = [x, y];
            p[k] += h;
            q[k] -= h;
            return (fn.value(p) - fn.value(q)) / (2 * h);
          };
          const h = 1e-3;
          const fd = (4 * d(h / 2) - d(h)) / 3;
          const scale = Math.max(1, Math.abs(fd), Math.abs(fn.value([x, y])));
          if (!(Math.abs(g[k] - fd) <= 1e-6 * scale)) throw new Error(`${text} at (${x}, ${y}): ∂${k} exact ${g[k]}, differences ${fd}`);
        }
        checked++;
      }),
      { numRuns: 400, seed: 4242 },
    );
    expect(checked).toBe(400);
  });
});

// ------------------------------------------------ formulas restating built-ins

describe("formulas restating built-ins follow the built-ins' trajectories (f64, within 1e-9 relative)", () => {
  for (const [builtin, expr, x0] of RESTATED) {
    it(`${expr}`, () => {
      const specs = RESTATED_OPTIMIZERS.flatMap((optimizer) => [
        { function: builtin, optimizer, x0, steps: 300, dtype: "f64" as const },
        { function: { expr }, optimizer, x0, steps: 300, dtype: "f64" as const },
      ]);
      const runs = runMany(specs);
      const ref = createFunction(builtin, x0.length) as TestFunction;
      expect(f(expr, {}, x0.length).value(x0)).toBeCloseTo(ref.value(x0), 9);
      for (let k = 0; k < runs.length; k += 2) expect(trajectoryGap(runs[k + 1], runs[k]), `${specs[k].optimizer.name}`).toBeLessThanOrEqual(1e-9);
    });
  }
});
