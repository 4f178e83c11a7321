/**
 * The sweep worker: one row of runs at a time through backend.runMany (on
 * the wasm backend, runs sharing a coefficient plan share SIMD lanes),
 * posting progress after each row so the page shows it and never freezes.
 */
import { createBackend, type Backend, type RecordMode, type RunSpec } from "optimlab";
import { basinOf, scaleSchedule, stepsToReach, type SweepMessage, type SweepRequest } from "./sweep.js";

const backends = new Map<string, Promise<Backend>>();

function post(m: SweepMessage) {
  (self as unknown as Worker).postMessage(m);
}

/** The runs of row j and how to turn each result into a cell value. */
function row(r: SweepRequest, j: number): { specs: RunSpec[]; value: (res: ReturnType<Backend["runMany"]>[number]) => number } {
  if (r.kind === "basins") {
    const specs = r.xs.map((x) => ({ ...r.base, x0: [x, r.ys[j]], record: "final" as RecordMode }));
    return { specs, value: (res) => basinOf(res, r.minima, r.radius) };
  }
  const baseLr = r.base.optimizer.lr as number;
  const specs = r.lrs.map((lr) => {
    const opt: Record<string, unknown> = { ...r.base.optimizer, lr };
    if (r.y === "beta1") {
      const betas = [...((opt.betas as number[] | undefined) ?? r.betasDefault)];
      betas[0] = r.ys[j];
      opt.betas = betas;
    } else opt[r.y] = r.ys[j];
    const scheduler = scaleSchedule(r.base.scheduler, lr / baseLr);
    return {
      ...r.base,
      optimizer: opt as RunSpec["optimizer"],
      ...(scheduler ? { scheduler } : {}),
      record: (r.metric === "steps" ? "loss" : "final") as RecordMode,
    };
  });
  return {
    specs,
    value: r.metric === "steps" ? (res) => stepsToReach(res, r.fStar, r.eps) : (res) => res.loss[res.loss.length - 1],
  };
}

self.onmessage = async (ev: MessageEvent<SweepRequest>) => {
  const r = ev.data;
  try {
    let b = backends.get(r.backend);
    if (!b) backends.set(r.backend, (b = createBackend(r.backend)));
    const backend = await b;
    const nx = r.kind === "basins" ? r.xs.length : r.lrs.length;
    const values = new Float64Array(nx * r.ys.length);
    let steps = 0;
    const t0 = performance.now();
    for (let j = 0; j < r.ys.length; j++) {
      const { specs, value } = row(r, j);
      backend.runMany(specs).forEach((res, i) => {
        values[j * nx + i] = value(res);
        steps += res.steps;
      });
      post({ id: r.id, type: "progress", done: j + 1, total: r.ys.length });
    }
    post({ id: r.id, type: "done", values, ms: performance.now() - t0, steps, backend: backend.name });
  } catch (err) {
    post({ id: r.id, type: "error", message: (err as Error).message });
  }
};
