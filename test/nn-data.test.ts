/**
 * Data sets against their formulas (README, "Data"), seeded determinism,
 * splits, init schemes against their distributions, and spec validation:
 * every bad field named.
 */
import { describe, expect, it } from "vitest";
import { generateDataset, initialParams, normalizeTrainSpec, train, type TrainSpec } from "../src/models/index.js";
import { fieldOf } from "./field-error.js";

/** Rows of a split as [x…, y] arrays. */
function rows(d: { x: Float64Array; y: Float64Array; n: number }, features: number): number[][] {
  return Array.from({ length: d.n }, (_, i) => [...d.x.subarray(i * features, (i + 1) * features), d.y[i]]);
}

describe("data sets follow their formulas", () => {
  it("moons (noise 0): class 0 on the unit upper half circle, class 1 on the lower one centred at (1, 0.5), ⌊n/2⌋ and ⌈n/2⌉ points", () => {
    const d = generateDataset({ name: "moons", n: 101, seed: 3 });
    const pts = rows(d.train, 2);
    expect(pts.filter((p) => p[2] === 0).length).toBe(50);
    expect(pts.filter((p) => p[2] === 1).length).toBe(51);
    for (const [x, y, c] of pts) {
      if (c === 0) {
        expect(x * x + y * y).toBeCloseTo(1, 12);
        expect(y).toBeGreaterThanOrEqual(-1e-15);
      } else {
        expect((x - 1) ** 2 + (y - 0.5) ** 2).toBeCloseTo(1, 12);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-15);
      }
    }
    // the end points of both arcs are there (linspace includes them)
    expect(pts.some(([x, y, c]) => c === 0 && Math.abs(x + 1) < 1e-12 && Math.abs(y) < 1e-12)).toBe(true);
    expect(pts.some(([x, y, c]) => c === 1 && Math.abs(x - 2) < 1e-12 && Math.abs(y - 0.5) < 1e-12)).toBe(true);
  });

  it("circles (noise 0): radius 1 and factor, evenly spaced angles without the end point", () => {
    const d = generateDataset({ name: "circles", n: 40, factor: 0.5 });
    const pts = rows(d.train, 2);
    for (const [x, y, c] of pts) expect(Math.hypot(x, y)).toBeCloseTo(c === 0 ? 1 : 0.5, 12);
    const angles = pts
      .filter((p) => p[2] === 0)
      .map(([x, y]) => Math.atan2(y, x))
      .sort((a, b) => a - b);
    expect(angles.length).toBe(20);
    for (let i = 1; i < 20; i++) expect(angles[i] - angles[i - 1]).toBeCloseTo(Math.PI / 10, 10);
  });

  it("spirals (noise 0): the Playground's arms r = 5i/m, t = 1.75·2π·i/m (+π for class 0)", () => {
    const d = generateDataset({ name: "spirals", n: 50 });
    for (const [x, y, c] of rows(d.train, 2)) {
      const r = Math.hypot(x, y);
      const i = Math.round((r / 5) * 25);
      expect(r).toBeCloseTo((5 * i) / 25, 10);
      if (r > 1e-9) {
        const t = 1.75 * 2 * Math.PI * (i / 25) + (c === 1 ? 0 : Math.PI);
        expect(x).toBeCloseTo(r * Math.sin(t), 9);
        expect(y).toBeCloseTo(r * Math.cos(t), 9);
      }
    }
  });

  it("xor (noise 0): |x|, |y| in [0.3, 5.3], class 1 exactly where x·y ≥ 0", () => {
    const d = generateDataset({ name: "xor", n: 300, seed: 9 });
    for (const [x, y, c] of rows(d.train, 2)) {
      for (const v of [x, y]) {
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.3);
        expect(Math.abs(v)).toBeLessThanOrEqual(5.3);
      }
      expect(c).toBe(x * y >= 0 ? 1 : 0);
    }
    // noise flips some labels near the axes
    const noisy = generateDataset({ name: "xor", n: 300, seed: 9, noise: 0.5 });
    expect(rows(noisy.train, 2).some(([x, y, c]) => c !== (x * y >= 0 ? 1 : 0))).toBe(true);
  });

  it("gaussians: k balanced classes around 2√2·(cos, sin)(π/4 + 2πc/k), spread σ = noise", () => {
    const k = 3,
      n = 3000,
      sigma = 0.5;
    const d = generateDataset({ name: "gaussians", n, classes: k, noise: sigma, seed: 1 });
    expect(d.classes).toBe(3);
    const pts = rows(d.train, 2);
    for (let c = 0; c < k; c++) {
      const mine = pts.filter((p) => p[2] === c);
      expect(mine.length).toBe(1000);
      const a = Math.PI / 4 + (2 * Math.PI * c) / k;
      const mx = mine.reduce((s, p) => s + p[0], 0) / 1000,
        my = mine.reduce((s, p) => s + p[1], 0) / 1000;
      // the sample mean lies within 5 standard errors (σ/√1000 = 0.016) of the centre
      expect(Math.abs(mx - 2 * Math.SQRT2 * Math.cos(a))).toBeLessThan(0.08);
      expect(Math.abs(my - 2 * Math.SQRT2 * Math.sin(a))).toBeLessThan(0.08);
      const sd = Math.sqrt(mine.reduce((s, p) => s + (p[0] - mx) ** 2, 0) / 999);
      expect(Math.abs(sd - sigma)).toBeLessThan(0.06);
    }
  });

  it("linear and sine (noise 0): y = 2x − 1 on U(−1, 1), y = sin x on U(−π, π)", () => {
    for (const [x, y] of rows(generateDataset({ name: "linear", n: 50 }).train, 1)) {
      expect(y).toBe(2 * x - 1);
      expect(Math.abs(x)).toBeLessThanOrEqual(1);
    }
    for (const [x, y] of rows(generateDataset({ name: "sine", n: 50 }).train, 1)) {
      expect(y).toBe(Math.sin(x));
      expect(Math.abs(x)).toBeLessThanOrEqual(Math.PI);
    }
  });

  it("noise is Gaussian with σ = noise for moons, circles, linear and sine (its sample σ on the residuals)", () => {
    const d = generateDataset({ name: "linear", n: 4000, noise: 0.3, seed: 2 });
    const res = rows(d.train, 1).map(([x, y]) => y - (2 * x - 1));
    const sd = Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length);
    expect(Math.abs(sd - 0.3)).toBeLessThan(0.02);
  });

  it("seeds: the same seed gives the same data, another seed other data; the split is round(n·testFraction) and a shuffle of the same points", () => {
    const a = generateDataset({ name: "moons", n: 50, noise: 0.1, seed: 4, testFraction: 0.3 });
    const b = generateDataset({ name: "moons", n: 50, noise: 0.1, seed: 4, testFraction: 0.3 });
    const c = generateDataset({ name: "moons", n: 50, noise: 0.1, seed: 5, testFraction: 0.3 });
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.train.x)).not.toEqual(Array.from(c.train.x));
    expect(a.train.n).toBe(35);
    expect(a.test!.n).toBe(15);
    const all = generateDataset({ name: "moons", n: 50, noise: 0.1, seed: 4 });
    const key = (p: number[]) => p.join(",");
    expect([...rows(a.train, 2), ...rows(a.test!, 2)].map(key).sort()).toEqual(rows(all.train, 2).map(key).sort());
    // generation order is not kept: the classes are interleaved
    expect(
      rows(all.train, 2)
        .slice(0, 25)
        .every((p) => p[2] === 0),
    ).toBe(false);
  });
});

describe("init schemes", () => {
  it("torch: W and b uniform in ±1/√fan_in; xavierUniform: W in ±√(6/(in+out)), b = 0; heNormal: std √(2/in), b = 0", () => {
    const layers = [400, 300, 2];
    const [W1, b1, W2] = initialParams(layers, "torch", 1);
    const a = 1 / Math.sqrt(400);
    expect(Math.max(...W1.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...W1.map(Math.abs))).toBeGreaterThan(0.99 * a);
    expect(Math.max(...b1.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...W2.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(300));
    const x = initialParams(layers, "xavierUniform", 1);
    const ax = Math.sqrt(6 / 700);
    expect(Math.max(...x[0].map(Math.abs))).toBeLessThanOrEqual(ax);
    expect(Math.max(...x[0].map(Math.abs))).toBeGreaterThan(0.99 * ax);
    expect(x[1].every((v) => v === 0)).toBe(true);
    const h = initialParams(layers, "heNormal", 1);
    const sd = Math.sqrt(h[0].reduce((s, v) => s + v * v, 0) / h[0].length);
    expect(Math.abs(sd / Math.sqrt(2 / 400) - 1)).toBeLessThan(0.01);
    expect(h[3].every((v) => v === 0)).toBe(true);
    expect(Array.from(initialParams(layers, "torch", 1)[0])).toEqual(Array.from(W1));
  });
});

describe("bad specs name their field", () => {
  const good: TrainSpec = {
    model: { layers: [2, 4, 1] },
    loss: "bce",
    data: { name: "moons", n: 20 },
    optimizer: { name: "sgd", lr: 0.1 },
    batchSize: 4,
    epochs: 1,
  };
  const bad = (over: Record<string, unknown>) => fieldOf(() => normalizeTrainSpec({ ...good, ...over }));
  it("model, loss and data shapes", () => {
    expect(bad({ model: { layers: [3, 4, 1] } })).toMatchObject({ field: "model.layers[0]", kind: "RangeError" });
    expect(bad({ model: { layers: [3, 4, 1] } }).message).toMatch(/model.layers\[0\]: is 3 but moons has 2 features per sample/);
    expect(bad({ model: { layers: [2, 4, 2] } }).field).toBe("model.layers[2]");
    expect(bad({ model: { layers: [2] } }).field).toBe("model.layers");
    expect(bad({ model: { layers: [2, 0, 1] } }).field).toBe("model.layers[1]");
    expect(bad({ model: { layers: [2, 4, 1], activation: "swish" } }).field).toBe("model.activation");
    expect(bad({ model: { layers: [2, 4, 1], depth: 3 } }).field).toBe("model.depth");
    expect(bad({ loss: "hinge" }).field).toBe("loss");
    expect(bad({ loss: "mse" }).message).toMatch(/^loss: mse needs numeric targets; moons is a classification set/);
    expect(bad({ loss: "ce", model: { layers: [2, 4, 2] }, data: { name: "gaussians", classes: 3 } }).field).toBe("model.layers[2]");
    expect(bad({ loss: "bce", data: { name: "gaussians", classes: 3 } }).field).toBe("loss");
    expect(bad({ loss: "bce", model: { layers: [1, 4, 1] }, data: "sine" }).field).toBe("loss");
    expect(bad({ data: { name: "moons", n: 0 } }).field).toBe("data.n");
    expect(bad({ data: { name: "moons", testFraction: 1 } }).field).toBe("data.testFraction");
    expect(bad({ data: { name: "moons", n: 1, testFraction: 0.6 } }).field).toBe("data.testFraction");
    expect(bad({ data: { name: "moons", classes: 3 } }).field).toBe("data.classes");
    expect(bad({ data: { name: "blobs" } }).field).toBe("data.name");
    expect(bad({ data: "blobs" }).field).toBe("data");
  });
  it("explicit data: rows, labels out of range, lengths", () => {
    const x = [
      [0, 1],
      [1, 0],
      [2, 2],
    ];
    expect(bad({ loss: "ce", model: { layers: [2, 3] }, data: { x, y: [0, 3, 1] } })).toMatchObject({ field: "data.y[1]" });
    expect(bad({ loss: "ce", model: { layers: [2, 3] }, data: { x, y: [0, 3, 1] } }).message).toMatch(/class indices 0 … 2/);
    expect(bad({ loss: "ce", model: { layers: [2, 3] }, data: { x, y: [0, 1.5, 1] } }).field).toBe("data.y[1]");
    expect(bad({ data: { x, y: [0, 2, 1] } }).field).toBe("data.y[1]");
    expect(bad({ data: { x, y: [0, 1] } }).field).toBe("data.y");
    expect(bad({ data: { x: [[0, 1], [1]], y: [0, 1] } }).field).toBe("data.x[1]");
    expect(bad({ data: { x: [[0, "a"]], y: [0] } }).field).toBe("data.x[0][1]");
    expect(bad({ data: { x: [], y: [] } }).field).toBe("data.x");
    expect(bad({ data: { x, y: [0, 1, 1], test: { x: [[1, 2, 3]], y: [0] } } }).field).toBe("data.test.x[0]");
    expect(bad({ loss: "ce", model: { layers: [2, 2] }, data: { x, y: [0, 1, 1], test: { x: [[1, 2]], y: [2] } } }).field).toBe("data.test.y[0]");
    expect(
      bad({
        loss: "mse",
        model: { layers: [2, 1] },
        data: {
          x,
          y: [
            [1, 2],
            [1, 2],
            [3, 4],
          ],
        },
      }).field,
    ).toBe("model.layers[1]");
  });
  it("training fields", () => {
    expect(bad({ batchSize: 0 })).toMatchObject({ field: "batchSize", kind: "RangeError" });
    expect(bad({ batchSize: 2.5 }).field).toBe("batchSize");
    expect(bad({ epochs: -1 }).field).toBe("epochs");
    expect(bad({ shuffle: "yes" }).field).toBe("shuffle");
    expect(bad({ seed: -3 }).field).toBe("seed");
    expect(bad({ dtype: "f16" }).field).toBe("dtype");
    expect(bad({ optimizer: { name: "adam", betas: [1, 2] } }).field).toBe("optimizer.betas");
    expect(bad({ optimizer: { name: "lionel" } }).field).toBe("optimizer.name");
    expect(bad({ scheduler: { name: "stepLR" } }).field).toMatch(/^scheduler\./);
    expect(bad({ scheduler: { name: "oneCycleLR", maxLr: 0.1, totalSteps: 4 }, epochs: 2 }).field).toBe("epochs");
    expect(bad({ init: { scheme: "orthogonal" } }).field).toBe("init.scheme");
    expect(bad({ init: { params: [[1, 2]] } }).field).toBe("init.params");
    expect(bad({ init: { params: [[1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0], [1, 1, 1, 1], [0]] } }).message).toMatch(
      /^init.params\[1\]: has 3 values; b1 \(4\) needs 4/,
    );
    expect(bad({ steps: 3 }).field).toBe("steps");
    for (const key of ["model", "loss", "data", "optimizer", "batchSize", "epochs"]) {
      const s: Record<string, unknown> = { ...good };
      delete s[key];
      expect(fieldOf(() => normalizeTrainSpec(s)).field).toBe(key);
    }
  });
  it("a batch larger than the data is one full batch per epoch; epochs 0 trains nothing", () => {
    const r = train({ ...good, batchSize: 1000, epochs: 2 });
    expect(r.loss.length).toBe(2);
    const z = train({ ...good, epochs: 0, init: { params: [[1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0], [1, 1, 1, 1], [0]] } });
    expect(z).toEqual({ loss: [], epochLoss: [], accuracy: [], params: [[1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0], [1, 1, 1, 1], [0]] });
  });
});
