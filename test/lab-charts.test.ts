// The lab's chart data (web/chartData.ts): a diverging run must not flatten
// the others, zeros must not disable the log scale, and thinning a long
// series must keep its envelope and its end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../src/index.js";
import { chartSeries, lossScale } from "../web/chartData.js";

const run = (loss: number[]): RunRecord => ({ x: [], loss, lr: [], steps: loss.length - 1, stopReason: "steps" });

describe("lab charts", () => {
  it("caps the loss scale 1000× above the start when a run diverges, and says so", () => {
    const s = lossScale([run([10, 5, 1, 0.1]), run([10, 1e40, 1e141, Infinity])]);
    expect(s.logY).toBe(true);
    expect(s.hi).toBeCloseTo(10 * 1e3 * 1.5, 6);
    expect(s.lo).toBeCloseTo(0.1 / 1.5, 12);
    expect(s.clipped).toBe(true);
    expect(lossScale([run([10, 5, 1, 0.1])]).clipped).toBe(false);
  });

  it("keeps the log scale when a loss is exactly 0 (it sits on the floor) and goes linear with negative losses", () => {
    const z = lossScale([run([4, 1, 0, 0])]);
    expect(z).toMatchObject({ logY: true, clipped: false });
    expect(chartSeries([4, 1, 0, 0], z.lo, z.hi).y).toEqual([4, 1, z.lo, z.lo]);
    const neg = lossScale([run([1, 0, -1.0316])]);
    expect(neg.logY).toBe(false);
    expect(neg.lo).toBeLessThan(-1.0316);
    expect(neg.hi).toBeGreaterThan(1);
  });

  it("on a linear scale, caps both sides at 10× the typical run's reach, so a run diving to −1e101 does not flatten the others", () => {
    const s = lossScale([run([1, 0.5, 0, -0.5]), run([1, 0.9, 0.8, 0.7]), run([1, -1e10, -2e101])]);
    expect(s.logY).toBe(false);
    // Reaches 1.5, 0.3 and 2e101: the lower median is 1.5, so the axis spans 1 ± 15 at most.
    expect(s.lo).toBeGreaterThanOrEqual(1 - 15 - 0.05 * 15.5);
    expect(s.lo).toBeLessThan(-14);
    expect(s.hi).toBeLessThan(2); // the top loss, 1, plus 5 % of the span as padding
    expect(s.clipped).toBe(true);
  });

  it("thins long series to their bucket extremes, keeping the last point and a final non-finite value", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1201, maxLength: 6000 }), fc.boolean(), (ys, diverge) => {
        const y = diverge ? [...ys, NaN] : ys;
        const out = chartSeries(y, -Infinity, Infinity);
        expect(out.x.length).toBeLessThanOrEqual(1300);
        // x strictly increasing, every kept value is the original at its x.
        for (let i = 1; i < out.x.length; i++) expect(out.x[i]).toBeGreaterThan(out.x[i - 1]);
        out.x.forEach((x, i) => expect(Object.is(out.y[i], y[x])).toBe(true));
        expect(out.x[out.x.length - 1]).toBe(y.length - 1);
        // The envelope survives: the global min and max are kept.
        expect(Math.min(...out.y.filter(Number.isFinite))).toBe(Math.min(...ys));
        expect(Math.max(...out.y.filter(Number.isFinite))).toBe(Math.max(...ys));
      }),
      // Shrinking arrays of thousands of numbers is slow; a counterexample is readable as it is.
      { numRuns: 40, endOnFailure: true },
    );
  });

  it("leaves short series whole, only clamped", () => {
    expect(chartSeries([5, 50, 500], 1, 100)).toEqual({ x: [0, 1, 2], y: [5, 50, 100] });
  });
});
