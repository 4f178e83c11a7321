/** Grid evaluation and batched runs: the reference against the wasm backend. */
import { createFunction, functionNames, jsBackend, type Backend, type RunSpec } from "../bindings/index.js";
import type { Row } from "./index.js";

type Measure = (fn: () => void, budgetMs: number) => Promise<{ seconds: number; samples: number }>;

export async function benchGrids(wasm: Backend, rows: Row[], measure: Measure, quick: boolean): Promise<void> {
  const side = quick ? 50 : 1000;
  for (const name of functionNames) {
    const fnRef = jsBackend.createFunction(name, 2);
    const fnWasm = wasm.createFunction(name, 2);
    const { x, y } = fnRef.domain;
    for (const [impl, b, fn] of [
      ["reference", jsBackend, fnRef],
      ["wasm", wasm, fnWasm],
    ] as const) {
      const m = await measure(() => void b.grid(fn, x, y, side, side), quick ? 20 : 800);
      rows.push({
        section: "grid",
        case: `${name}${fnRef.polynomial ? "" : " (transcendental)"}`,
        impl,
        n: side * side,
        dtype: "f64",
        seconds: m.seconds,
        perSecond: (side * side) / m.seconds,
        samples: m.samples,
      });
    }
  }
}

export async function benchBatched(wasm: Backend, rows: Row[], measure: Measure, quick: boolean): Promise<void> {
  const starts = quick ? 16 : 4096;
  const steps = quick ? 20 : 1000;
  const fn = createFunction("rosenbrock", 2);
  const specs: RunSpec[] = [];
  for (let k = 0; k < starts; k++) {
    const u = (k % 64) / 63,
      v = Math.floor(k / 64) / 63;
    specs.push({
      function: "rosenbrock",
      optimizer: { name: "adam", lr: 0.01 },
      x0: [fn.domain.x[0] + u * (fn.domain.x[1] - fn.domain.x[0]), fn.domain.y[0] + v * (fn.domain.y[1] - fn.domain.y[0])],
      steps,
      record: "final",
    });
  }
  for (const [impl, b] of [
    ["reference", jsBackend],
    ["wasm", wasm],
  ] as const) {
    const m = await measure(() => void b.runMany(specs), quick ? 20 : 3000);
    rows.push({
      section: "batched",
      case: `adam on rosenbrock, ${starts} starts × ${steps} steps`,
      impl,
      n: starts * steps,
      dtype: "f32",
      seconds: m.seconds,
      perSecond: (starts * steps) / m.seconds,
      samples: m.samples,
    });
  }
}
