/**
 * Data sets for the network engine: seeded generators of the classic toy sets
 * and explicit `{ x, y }` data, validated with errors that name the field.
 *
 * Every generator draws from one Mulberry32 stream (src/experiments/random.ts,
 * normals by Box–Muller) seeded by `seed`: first the points in generation
 * order (each point's coordinates, then its noise), then one Fisher–Yates
 * shuffle of all n samples (for i = n−1 … 1: swap i with ⌊u·(i+1)⌋); the
 * last round(n·testFraction) samples are the test split. The README gives
 * each generator's formula.
 *
 * @packageDocumentation
 */
import { check, checkKnownKeys, rangeError, show, typeError, under } from "../errors.js";
import { createRng, type Rng } from "../experiments/random.js";

export type DatasetName = "moons" | "circles" | "spirals" | "xor" | "gaussians" | "linear" | "sine";

/** Every generator, in the order the docs list them. */
export const datasetNames: readonly DatasetName[] = Object.freeze(["moons", "circles", "spirals", "xor", "gaussians", "linear", "sine"]);

/** A generated data set: `{ name, n, noise, seed, testFraction }` and the generator's own options. */
export interface GeneratedDataSpec {
  name: DatasetName;
  /** Samples, train and test together (default 200). */
  n?: number;
  /** Noise level (see the README: Gaussian σ, or the Playground's uniform amplitude); default 0, gaussians 1. */
  noise?: number;
  /** Seed of the data stream (default 0). */
  seed?: number;
  /** Fraction of the samples held out as the test split, in [0, 1) (default 0). */
  testFraction?: number;
  /** circles: radius of the inner circle relative to the outer (default 0.8, as scikit-learn). */
  factor?: number;
  /** gaussians: number of classes (default 2). */
  classes?: number;
}

/** Explicit data: rows of features, and targets (class indices for bce/ce, numbers or rows for mse); optionally a test split. */
export interface ExplicitDataSpec {
  x: number[][];
  y: number[] | number[][];
  test?: { x: number[][]; y: number[] | number[][] };
}

export type DataSpec = DatasetName | GeneratedDataSpec | ExplicitDataSpec;

/** One split: sample-major inputs (n × features) and targets (n × targets). */
export interface DataSplit {
  x: Float64Array;
  y: Float64Array;
  n: number;
}

/** A data set ready for training. */
export interface Dataset {
  /** The generator's name, or "explicit". */
  name: DatasetName | "explicit";
  kind: "classification" | "regression";
  features: number;
  /** Values per target: 1 for class indices, else the row length of y. */
  targets: number;
  /** Classification: the generator's class count, or max label + 1 for explicit data. */
  classes?: number;
  train: DataSplit;
  test?: DataSplit;
}

export const DATA_DEFAULTS = { n: 200, seed: 0, testFraction: 0, noise: 0, gaussiansNoise: 1, factor: 0.8, classes: 2 } as const;

/** Upper bound on generated samples, so a typo cannot ask for an unbounded allocation. */
export const MAX_SAMPLES = 1_000_000;

interface Points {
  x: number[];
  y: number[];
  features: number;
  classes?: number;
}

/** numpy's linspace(a, b, m) (endpoint included): a + i·(b − a)/(m − 1), the last exactly b. */
function linspace(a: number, b: number, m: number, i: number): number {
  if (m === 1) return a;
  return i === m - 1 ? b : a + (i * (b - a)) / (m - 1);
}

function moons(n: number, noise: number, rng: Rng): Points {
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const x: number[] = [],
    y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = linspace(0, Math.PI, nOut, i);
    x.push(Math.cos(t) + noise * rng.normal(), Math.sin(t) + noise * rng.normal());
    y.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspace(0, Math.PI, nIn, i);
    x.push(1 - Math.cos(t) + noise * rng.normal(), 1 - Math.sin(t) - 0.5 + noise * rng.normal());
    y.push(1);
  }
  return { x, y, features: 2, classes: 2 };
}

function circles(n: number, noise: number, factor: number, rng: Rng): Points {
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const x: number[] = [],
    y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    x.push(Math.cos(t) + noise * rng.normal(), Math.sin(t) + noise * rng.normal());
    y.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    x.push(factor * Math.cos(t) + noise * rng.normal(), factor * Math.sin(t) + noise * rng.normal());
    y.push(1);
  }
  return { x, y, features: 2, classes: 2 };
}

function spirals(n: number, noise: number, rng: Rng): Points {
  const x: number[] = [],
    y: number[] = [];
  // TensorFlow Playground's classifySpiralData: its positive arm (δ = 0) is class 1, the other (δ = π) class 0.
  const arm = (m: number, delta: number, label: number) => {
    for (let i = 0; i < m; i++) {
      const r = (i / m) * 5;
      const t = ((1.75 * i) / m) * 2 * Math.PI + delta;
      x.push(r * Math.sin(t) + rng.uniformIn(-1, 1) * noise, r * Math.cos(t) + rng.uniformIn(-1, 1) * noise);
      y.push(label);
    }
  };
  arm(n - Math.floor(n / 2), 0, 1);
  arm(Math.floor(n / 2), Math.PI, 0);
  return { x, y, features: 2, classes: 2 };
}

function xor(n: number, noise: number, rng: Rng): Points {
  const x: number[] = [],
    y: number[] = [];
  // TensorFlow Playground's classifyXORData: points kept 0.3 away from the axes, labelled by the quadrant of the noisy point.
  for (let i = 0; i < n; i++) {
    let a = rng.uniformIn(-5, 5);
    a += a > 0 ? 0.3 : -0.3;
    let b = rng.uniformIn(-5, 5);
    b += b > 0 ? 0.3 : -0.3;
    const na = rng.uniformIn(-5, 5) * noise,
      nb = rng.uniformIn(-5, 5) * noise;
    x.push(a, b);
    y.push((a + na) * (b + nb) >= 0 ? 1 : 0);
  }
  return { x, y, features: 2, classes: 2 };
}

function gaussians(n: number, noise: number, classes: number, rng: Rng): Points {
  const x: number[] = [],
    y: number[] = [];
  // Centres on the circle of radius 2√2 from angle π/4: two classes sit at (2, 2) and (−2, −2), as in the Playground.
  const R = 2 * Math.SQRT2;
  for (let c = 0; c < classes; c++) {
    const count = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
    const angle = Math.PI / 4 + (2 * Math.PI * c) / classes;
    const cx = R * Math.cos(angle),
      cy = R * Math.sin(angle);
    for (let i = 0; i < count; i++) {
      x.push(cx + noise * rng.normal(), cy + noise * rng.normal());
      y.push(c);
    }
  }
  return { x, y, features: 2, classes };
}

function regression(n: number, noise: number, rng: Rng, lo: number, hi: number, f: (x: number) => number): Points {
  const x: number[] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = rng.uniformIn(lo, hi);
    x.push(v);
    y.push(f(v) + noise * rng.normal());
  }
  return { x, y, features: 1 };
}

const GENERATOR_KEYS: Record<DatasetName, readonly string[]> = {
  moons: [],
  circles: ["factor"],
  spirals: [],
  xor: [],
  gaussians: ["classes"],
  linear: [],
  sine: [],
};

/** A generated data set (validated; errors name fields relative to the data spec). */
export function generateDataset(raw: GeneratedDataSpec | DatasetName): Dataset {
  const s = typeof raw === "string" ? { name: raw } : check.object("", raw);
  const name = check.oneOf("name", s.name, datasetNames);
  checkKnownKeys(s, ["name", "n", "noise", "seed", "testFraction", ...GENERATOR_KEYS[name]], `the ${name} data set`);
  const n = s.n === undefined ? DATA_DEFAULTS.n : check.number("n", s.n, { min: 1, max: MAX_SAMPLES, integer: true });
  const noise =
    s.noise === undefined ? (name === "gaussians" ? DATA_DEFAULTS.gaussiansNoise : DATA_DEFAULTS.noise) : check.number("noise", s.noise, { min: 0 });
  const seed = s.seed === undefined ? DATA_DEFAULTS.seed : check.number("seed", s.seed, { min: 0, max: 0xffffffff, integer: true });
  const testFraction =
    s.testFraction === undefined ? DATA_DEFAULTS.testFraction : check.number("testFraction", s.testFraction, { min: 0, max: 1, maxExclusive: true });
  const nTest = Math.round(n * testFraction);
  if (n - nTest < 1) throw rangeError("testFraction", `leaves no training sample of n = ${n}; lower it or raise n`);
  const rng = createRng(seed);
  let p: Points;
  switch (name) {
    case "moons":
      p = moons(n, noise, rng);
      break;
    case "circles": {
      const factor = s.factor === undefined ? DATA_DEFAULTS.factor : check.number("factor", s.factor, { min: 0, max: 1, maxExclusive: true });
      p = circles(n, noise, factor, rng);
      break;
    }
    case "spirals":
      p = spirals(n, noise, rng);
      break;
    case "xor":
      p = xor(n, noise, rng);
      break;
    case "gaussians": {
      const classes = s.classes === undefined ? DATA_DEFAULTS.classes : check.number("classes", s.classes, { min: 2, max: 1000, integer: true });
      p = gaussians(n, noise, classes, rng);
      break;
    }
    case "linear":
      p = regression(n, noise, rng, -1, 1, (v) => 2 * v - 1);
      break;
    case "sine":
      p = regression(n, noise, rng, -Math.PI, Math.PI, Math.sin);
      break;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, rng);
  const d = p.features;
  const split = (from: number, to: number): DataSplit => {
    const m = to - from;
    const x = new Float64Array(m * d),
      y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const j = order[from + i];
      for (let c = 0; c < d; c++) x[i * d + c] = p.x[j * d + c];
      y[i] = p.y[j];
    }
    return { x, y, n: m };
  };
  return {
    name,
    kind: p.classes === undefined ? "regression" : "classification",
    features: d,
    targets: 1,
    ...(p.classes !== undefined ? { classes: p.classes } : {}),
    train: split(0, n - nTest),
    ...(nTest > 0 ? { test: split(n - nTest, n) } : {}),
  };
}

/** Fisher–Yates with the stream: for i = n−1 … 1, swap a[i] and a[⌊u·(i+1)⌋]. */
export function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** How explicit targets are read: class indices (bce with one target, ce), 0/1 rows (bce), numbers or rows (mse). */
export type TargetKind = "classIndex" | "binaryRows" | "numbers";

function explicitSplit(
  x: unknown,
  y: unknown,
  targetKind: TargetKind,
  features: number | undefined,
): { split: DataSplit; features: number; targets: number; maxLabel: number } {
  const rows = check.array("x", x);
  if (rows.length === 0) throw rangeError("x", "must hold at least one sample (a row of numbers)");
  if (rows.length > MAX_SAMPLES) throw rangeError("x", `has ${rows.length} rows; at most ${MAX_SAMPLES}`);
  const first = check.array("x[0]", rows[0]);
  const d = features ?? first.length;
  if (d === 0) throw rangeError("x[0]", "must hold at least one feature");
  const n = rows.length;
  const xs = new Float64Array(n * d);
  rows.forEach((row, i) => {
    const r = check.array(`x[${i}]`, row);
    if (r.length !== d)
      throw rangeError(
        `x[${i}]`,
        `has ${r.length} values; every row must have ${d}${features === undefined ? " (the length of x[0])" : " (as the training rows)"}`,
      );
    r.forEach((v, c) => (xs[i * d + c] = check.finite(`x[${i}][${c}]`, v)));
  });
  const ys = check.array("y", y);
  if (ys.length !== n) throw rangeError("y", `has ${ys.length} entries; x has ${n} rows (one target per row)`);
  let targets = 1;
  let maxLabel = -1;
  if (targetKind === "classIndex") {
    ys.forEach((v, i) => {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        throw (typeof v === "number" ? rangeError : typeError)(`y[${i}]`, `must be a class index (an integer ≥ 0); got ${show(v)}`);
      }
      maxLabel = Math.max(maxLabel, v);
    });
    return { split: { x: xs, y: Float64Array.from(ys as number[]), n }, features: d, targets, maxLabel };
  }
  const rowsY = Array.isArray(ys[0]);
  targets = rowsY ? (ys[0] as unknown[]).length : 1;
  if (targets === 0) throw rangeError("y[0]", "must hold at least one target value");
  const out = new Float64Array(n * targets);
  ys.forEach((v, i) => {
    const row = rowsY ? check.array(`y[${i}]`, v) : [v];
    if (row.length !== targets) throw rangeError(`y[${i}]`, `has ${row.length} values; every target row must have ${targets} (the length of y[0])`);
    row.forEach((t, c) => {
      const f = rowsY ? `y[${i}][${c}]` : `y[${i}]`;
      const val = check.finite(f, t);
      if (targetKind === "binaryRows" && val !== 0 && val !== 1) throw rangeError(f, `must be 0 or 1 (a bce target); got ${show(val)}`);
      out[i * targets + c] = val;
    });
  });
  return { split: { x: xs, y: out, n }, features: d, targets, maxLabel: 1 };
}

/** Explicit `{ x, y, test? }` data, its targets read as `targetKind` (errors name fields relative to the data spec). */
export function explicitDataset(raw: ExplicitDataSpec, targetKind: TargetKind): Dataset {
  const s = check.object("", raw);
  checkKnownKeys(s, ["x", "y", "test"], "explicit data");
  const train = explicitSplit(s.x, s.y, targetKind, undefined);
  let test: ReturnType<typeof explicitSplit> | undefined;
  if (s.test !== undefined) {
    const t = check.object("test", s.test);
    under("test", () => checkKnownKeys(t, ["x", "y"], "a test split"));
    test = under("test", () => explicitSplit(t.x, t.y, targetKind, train.features));
    if (test.targets !== train.targets) throw rangeError("test.y[0]", `has ${test.targets} values; the training targets have ${train.targets}`);
  }
  const classification = targetKind !== "numbers";
  return {
    name: "explicit",
    kind: classification ? "classification" : "regression",
    features: train.features,
    targets: train.targets,
    ...(classification ? { classes: Math.max(train.maxLabel, test?.maxLabel ?? -1) + 1 } : {}),
    train: train.split,
    ...(test ? { test: test.split } : {}),
  };
}
