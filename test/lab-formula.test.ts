// The lab's formula in its link (web/state.ts): the text under its own key,
// percent-encoded once and decoded once, with its minima and window; round
// trips on random formulas; bad links reported field by field, never thrown.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeSpec } from "../src/index.js";
import { parseState, serializeState } from "../web/link.js";
import { checkRun, defaultState, formulaFault, functionSpec, parseMinima, runSpec, type LabState } from "../web/state.js";
import { exactFormula, smoothFormula } from "./expr-gen.js";

const withFormula = (expr: string, minima: [number, number][] = [], domain?: { x: [number, number]; y: [number, number] }): LabState => {
  const s = defaultState();
  s.fn = { name: "expr", params: {}, formula: { expr, minima, ...(domain ? { domain } : {}) } };
  s.x0 = [-2, 2];
  return s;
};

describe("a formula in the lab's link", () => {
  it("is written under expr, encoded once with encodeURIComponent, instead of f", () => {
    const text = "atan2(y, x)/2 + (x^2 + y^2)/10 - 3*min(x, y)**2";
    const hash = serializeState(withFormula(text, [[0.5, -1]], { x: [-3, 3], y: [-2, 2.5] }));
    expect(hash.startsWith(`expr=${encodeURIComponent(text)}&m=0.5,-1&dom=-3,3,-2,2.5&x0=-2,2&`)).toBe(true);
    expect(hash).not.toMatch(/(^|&)f=/);
    const { state, errors } = parseState("#" + hash);
    expect(errors).toEqual([]);
    expect(state.fn).toEqual({ name: "expr", params: {}, formula: { expr: text, minima: [[0.5, -1]], domain: { x: [-3, 3], y: [-2, 2.5] } } });
    expect(functionSpec(state)).toEqual({ expr: text, minima: [{ x: [0.5, -1] }], domain: { x: [-3, 3], y: [-2, 2.5] } });
  });

  it("is decoded exactly once", () => {
    // x%2B1 once-encoded is x%252B1: decoded once it is the text "x%2B1" (refused: '%'), twice it would be "x+1".
    const { state, errors } = parseState("#expr=x%252B1");
    expect(errors).toEqual(['expr: unexpected character "%" at column 2']);
    expect(state.fn.name).toBe("rosenbrock");
    expect(parseState("#expr=x%2B1").state.fn.formula?.expr).toBe("x+1");
  });

  it("round-trips random formulas with their minima and windows", () => {
    fc.assert(
      fc.property(
        fc.oneof(smoothFormula, exactFormula),
        fc.array(
          fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })).map(([a, b]) => [a / 8, b / 8] as [number, number]),
          { maxLength: 4 },
        ),
        fc.option(fc.tuple(fc.integer({ min: -10, max: 0 }), fc.integer({ min: 1, max: 10 })), { nil: undefined }),
        (expr, minima, d) => {
          const domain = d ? { x: [d[0], d[1]] as [number, number], y: [d[0] - 1, d[1] + 1] as [number, number] } : undefined;
          const s = withFormula(expr, minima, domain);
          // Minima where the formula is not finite are refused by the library: keep only states it accepts.
          fc.pre(formulaFault(s.fn.formula!) === undefined);
          const text = serializeState(s);
          const { state: back, errors } = parseState("#" + text);
          expect(errors).toEqual([]);
          expect(serializeState(back)).toBe(text);
          expect(back.fn.formula).toEqual(s.fn.formula);
          for (let k = 0; k < back.optimizers.length; k++) checkRun(back, k);
        },
      ),
      { numRuns: 200, seed: 5150 },
    );
  });

  it("reports a bad formula, minima or window by field and keeps what it can", () => {
    let r = parseState("#expr=" + encodeURIComponent("(x + 1") + "&steps=50");
    expect(r.errors).toEqual(['expr: expected ")" at column 7 (to close the "(" at column 1)']);
    expect([r.state.fn.name, r.state.steps]).toEqual(["rosenbrock", 50]);
    r = parseState("#expr=" + encodeURIComponent("x1 + x2 + x3"));
    expect(r.errors).toEqual(["expr: the lab draws 2-D functions: use x and y (or x1 and x2)"]);
    r = parseState("#expr=x%5E2&m=1,2;3&dom=0,1,2");
    expect(r.state.fn.formula).toEqual({ expr: "x^2", minima: [] });
    expect(r.errors).toEqual(['m[1]: must be a point x,y; got "3"', 'dom: must be four numbers x0,x1,y0,y1; got "0,1,2"']);
    r = parseState("#expr=log(x)&m=-1,0");
    expect(r.errors[0]).toMatch(/^m: minima\[0\]\.x: the formula is NaN there/);
    r = parseState("#f=booth&expr=x*y&m=0,0");
    expect(r.errors).toEqual(["f: not used (the link's function is the formula in expr)"]);
    expect(r.state.fn.formula?.expr).toBe("x*y");
    r = parseState("#f=booth&m=0,0&dom=0,1,0,1");
    expect(r.errors).toEqual(["m: belongs to a formula (expr), and the link has none", "dom: belongs to a formula (expr), and the link has none"]);
    expect(r.state.fn.name).toBe("booth");
    expect(() => parseMinima("1,2;x,3")).toThrow(/^m\[1\]\.x: must be a decimal number/);
  });

  it("never throws on mangled formula links; what it keeps runs", () => {
    const good = serializeState(withFormula("(1 - x)^2 + 100*(y - x^2)^2", [[1, 1]], { x: [-2, 2], y: [-1, 3] }));
    const mangled = fc
      .tuple(fc.nat(good.length), fc.nat(20), fc.string({ maxLength: 8 }))
      .map(([at, cut, ins]) => good.slice(0, at) + ins + good.slice(Math.min(good.length, at + cut)));
    fc.assert(
      fc.property(mangled, (text) => {
        const { state: s } = parseState("#" + text);
        for (let k = 0; k < s.optimizers.length; k++) normalizeSpec(runSpec(s, k));
      }),
      { numRuns: 400, seed: 99 },
    );
  });
});
