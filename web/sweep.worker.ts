/**
 * The sweep worker: final loss of one optimizer over a grid of learning
 * rates × one β-like option, computed with backend.runMany (on the wasm
 * backend, runs with one plan share SIMD lanes) one row at a time, posting
 * progress after each row so the page can show it and never freezes.
 */
import { createBackend, type Backend, type RunSpec } from "optimlab";
import type { SweepRequest, SweepMessage } from "./sweep.js";

const backends = new Map<string, Promise<Backend>>();

function post(m: SweepMessage) {
  (self as unknown as Worker).postMessage(m);
}

self.onmessage = async (ev: MessageEvent<SweepRequest>) => {
  const r = ev.data;
  try {
    let b = backends.get(r.backend);
    if (!b) backends.set(r.backend, (b = createBackend(r.backend)));
    const backend = await b;
    const n = r.lrs.length;
    const losses = new Float64Array(n * n);
    let steps = 0;
    const t0 = performance.now();
    for (let j = 0; j < r.ys.length; j++) {
      const specs: RunSpec[] = r.lrs.map((lr) => {
        const opt: Record<string, unknown> = { ...r.optimizer.options, lr };
        if (r.y === "beta1") {
          const betas = (opt.betas as [number, number] | undefined) ?? r.beta2Default;
          opt.betas = [r.ys[j], betas[1]];
        } else opt[r.y] = r.ys[j];
        return {
          function: r.fn,
          optimizer: { name: r.optimizer.name, ...opt },
          x0: r.x0,
          steps: r.steps,
          dtype: r.dtype,
          record: "final",
        } as RunSpec;
      });
      const results = backend.runMany(specs);
      results.forEach((res, i) => {
        losses[j * n + i] = res.loss[res.loss.length - 1];
        steps += res.steps;
      });
      post({ id: r.id, type: "progress", done: j + 1, total: r.ys.length });
    }
    post({ id: r.id, type: "done", losses, ms: performance.now() - t0, steps, backend: backend.name });
  } catch (err) {
    post({ id: r.id, type: "error", message: (err as Error).message });
  }
};
