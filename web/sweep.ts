/** The lab's sweep requests and how they run on the worker pool (the cells are the library's). */
import { CELL_VALUES, scaleSchedule, type RunOptions, type RunPool, type RunSpec, type Task } from "optimlab";

export { scaleSchedule };

interface SweepBase {
  id: number;
  backend: "wasm" | "js";
  /** The swept optimizer's run (function, optimizer with scheduler, x0, steps, dtype). */
  base: RunSpec;
}

/** Learning rate × a β-like option, coloured by final loss or by steps until f − f* ≤ eps. */
export interface HyperSweep extends SweepBase {
  kind: "hyper";
  y: "beta1" | "momentum" | "alpha" | "rho";
  /** The optimizer's default betas (a tuple of 2 or 3): β1 is swept, the others kept. */
  betasDefault: number[];
  lrs: number[];
  ys: number[];
  metric: "loss" | "steps";
  /** The function's lowest known minimum value (metric "steps"). */
  fStar: number;
  eps: number;
}

/** Start points over the window, classed by the minimum each run ends near. */
export interface BasinSweep extends SweepBase {
  kind: "basins";
  xs: number[];
  ys: number[];
  minima: number[][];
  /** A run "ends in" a minimum when its final point is this close to it. */
  radius: number;
}

export type SweepRequest = HyperSweep | BasinSweep;

/** n learning rates, log-spaced over [lo, hi]. */
export function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}

/** n cell centres over [lo, hi). */
export function cellCentres(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => lo + ((j + 0.5) * (hi - lo)) / n);
}

/**
 * The runs of a sweep, one task per row (so progress counts rows), for the
 * lab's worker pool: each cell's run and what the library keeps of it
 * (src/sweep/cells.ts: the same cells as `optimlab sweep`).
 */
export function sweepTasks(r: SweepRequest): Task[] {
  const rule =
    r.kind === "basins"
      ? { fStar: null, epsilon: 0, minima: r.minima, radius: r.radius }
      : { fStar: Number.isFinite(r.fStar) ? r.fStar : null, epsilon: r.eps, minima: [], radius: 0 };
  const measure = { kind: "cell" as const, ...rule };
  return r.ys.map((_y, j) => ({
    backend: r.backend,
    measure,
    label: "cells",
    first: j * (r.kind === "basins" ? r.xs.length : r.lrs.length),
    specs: rowSpecs(r, j),
  }));
}

function rowSpecs(r: SweepRequest, j: number): RunSpec[] {
  if (r.kind === "basins") return r.xs.map((x) => ({ ...r.base, x0: [x, r.ys[j]] }));
  const baseLr = r.base.optimizer.lr as number;
  return r.lrs.map((lr) => {
    const opt: Record<string, unknown> = { ...r.base.optimizer, lr };
    if (r.y === "beta1") {
      const betas = [...((opt.betas as number[] | undefined) ?? r.betasDefault)];
      betas[0] = r.ys[j];
      opt.betas = betas;
    } else opt[r.y] = r.ys[j];
    const scheduler = scaleSchedule(r.base.scheduler, lr / baseLr);
    return { ...r.base, optimizer: opt as RunSpec["optimizer"], ...(scheduler ? { scheduler } : {}) };
  });
}

/**
 * Runs a sweep on the pool: the map's value of each cell (final loss, steps
 * to ε or NaN, or the minimum it ends in: −1 none, −2 diverged) and the
 * steps taken in all.
 */
export async function runLabSweep(r: SweepRequest, pool: RunPool, o: RunOptions): Promise<{ values: Float64Array; steps: number }> {
  const parts = await pool.run(sweepTasks(r), o);
  const nx = r.kind === "basins" ? r.xs.length : r.lrs.length;
  const values = new Float64Array(nx * r.ys.length);
  let steps = 0;
  parts.forEach((v, j) => {
    for (let i = 0; i < nx; i++) {
      const at = i * CELL_VALUES;
      const [final, reached, diverged, minimum, taken] = [v[at], v[at + 1], v[at + 2], v[at + 3], v[at + 4]];
      values[j * nx + i] = r.kind === "basins" ? (minimum >= 0 ? minimum : diverged ? -2 : -1) : r.metric === "steps" ? reached : final;
      steps += taken;
    }
  });
  return { values, steps };
}
