/**
 * Learning-rate tuning: for each optimizer, the lr (and optionally one more
 * option) that is best for an objective (objective.ts), robust over several
 * starts.
 *
 * The search, per optimizer and objective, within a budget of runs (one run
 * = one setting from one start; the default is 48 settings per start):
 *
 * 1. a grid of 16 learning rates log-spaced over the lr range (default
 *    1e-5 … 10, both ends included: 0.4 decades apart), or with `also` 8
 *    learning rates × 5 values of the other option (linear over its range);
 * 2. refinement: in round r = 1, 2, … the three best settings so far each
 *    get their untried neighbours at half the previous spacing (the grid's
 *    spacing / 2^r, in log10 lr and in the other option), until the budget
 *    is spent or the spacing is 2⁻¹² of the grid's.
 *
 * A setting's score is the median over the starts of the objective (+∞ for
 * a run that diverges, so diverging runs rank last); ties are broken by a
 * second objective (final for `steps` and `auc`, auc for `final`), then by
 * the smaller lr. Every point of the search is lo·exp(ln(hi/lo)·n/D) for an
 * integer n (with the library's pure-arithmetic exp and log, so the lab and
 * the CLI search the same points), and a 4× finer grid meets it bit for bit.
 * Settings already run (by another objective) are not run again.
 */
import { rangeError } from "../errors.js";
import { createRng } from "../experiments/random.js";
import type { FunctionSpec, TestFunction } from "../functions/index.js";
import { isClosureDef, isOptimizerName, resolveOptimizer } from "../optim/index.js";
import { normalizeSpec, type BackendName, type RunSpec } from "../run.js";
import { exp, log } from "../models/math.js";
import { median, type Objective } from "./objective.js";
import { optimizerOptions, parsePath, refused, scaleSchedule } from "./paths.js";
import type { SchedulerSpec } from "../schedulers/index.js";
import { chunkTasks, taskSize, type RunOptions, type RunPool } from "./pool.js";

/** Settings per start in the default budget. */
export const DEFAULT_SETTINGS = 48;
/** The default lr range. */
export const DEFAULT_LR_RANGE: readonly [number, number] = [1e-5, 10];
/** The default range of an `also` option. */
export const DEFAULT_ALSO_RANGE: readonly [number, number] = [0, 0.99];
const REFINE_BITS = 12;
const TOP = 3;

export interface TuneProblem {
  function: FunctionSpec;
  fn: TestFunction;
  starts: number[][];
  /** T: steps, or for optimizers that evaluate f several times per step, evaluations (`maxEvals`). */
  steps: number;
  dtype: "f32" | "f64";
  backend: BackendName;
  epsilon: number;
  fStar: number;
}

/** An optimizer to tune: its text as given (`sgd:momentum=0.9`) and its spec. */
export interface TuneEntry {
  text: string;
  optimizer: { name: string; [option: string]: unknown };
  /** A scheduler kept with the optimizer: its absolute rates scale with the tuned lr (as a sweep's lr axis does). */
  scheduler?: SchedulerSpec;
}

export interface TuneSettings {
  objectives: readonly Objective[];
  /** Runs per optimizer and objective (default 48 × starts). */
  budget?: number;
  lrRange?: readonly [number, number];
  /** A second option: its path in the optimizer (`betas.0`) and range. */
  also?: { path: string; range: readonly [number, number] };
}

/** One optimizer's tuning for one objective (`--json`'s entries, with the runs it took). */
export interface TuneResult {
  optimizer: string;
  lr: number;
  also: Record<string, number> | null;
  objective: number;
  spread: [number, number];
}

export interface TuneOutcome extends TuneResult {
  objectiveName: Objective;
  /** The objective of each start at the best setting. */
  perStart: number[];
  /** Distinct settings this search scored (runs = settings × starts). */
  settings: number;
}

/** Whether an optimizer evaluates f several times per step (it takes a closure: L-BFGS). */
export function evaluatesPerStep(name: string): boolean {
  return isOptimizerName(name) && isClosureDef(resolveOptimizer(name).def);
}

/**
 * N starts drawn uniformly in the function's domain with a seeded Mulberry32
 * stream: start by start, coordinate by coordinate, even coordinates in the
 * domain's x range and odd ones in its y range.
 */
export function drawStarts(fn: TestFunction, n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: fn.dim }, (_v, i) => rng.uniformIn((i % 2 ? fn.domain.y : fn.domain.x)[0], (i % 2 ? fn.domain.y : fn.domain.x)[1])),
  );
}

/** Where a setting is: integers on the search's lattice. */
interface Point {
  u: number;
  v: number;
}

interface Scored {
  point: Point;
  /** Objectives per start: [final, auc, steps] × starts. */
  values: Float64Array;
}

const OBJ_INDEX: Record<Objective, number> = { final: 0, auc: 1, steps: 2 };
const TIE: Record<Objective, Objective> = { final: "auc", auc: "final", steps: "final" };

class Lattice {
  readonly gu: number;
  readonly gv: number;
  readonly du: number;
  readonly dv: number;
  constructor(settings: number, also: boolean) {
    if (also) {
      if (settings < 4) throw rangeError("budget", `must allow at least 4 settings per start with also (${4} × starts runs)`);
      this.gv = settings >= 40 ? 5 : settings >= 12 ? 3 : 2;
      this.gu = Math.max(2, Math.min(8, Math.floor(settings / this.gv)));
    } else {
      if (settings < 2) throw rangeError("budget", "must allow at least 2 settings per start (2 × starts runs)");
      this.gu = Math.min(16, settings);
      this.gv = 1;
    }
    this.du = (this.gu - 1) << REFINE_BITS;
    this.dv = Math.max(1, (this.gv - 1) << REFINE_BITS);
  }
  grid(): Point[] {
    const out: Point[] = [];
    for (let b = 0; b < this.gv; b++) for (let a = 0; a < this.gu; a++) out.push({ u: a << REFINE_BITS, v: this.gv > 1 ? b << REFINE_BITS : 0 });
    return out;
  }
}

const key = (p: Point) => p.u * 1e7 + p.v;

/** One optimizer × objective search. */
class Search {
  readonly scored = new Map<number, Scored>();
  private round = 0;
  private proposed: Point[] = [];
  constructor(
    readonly entry: number,
    readonly objective: Objective,
    private readonly lattice: Lattice,
    private readonly settings: number,
  ) {}

  /** Rank key of a scored setting (smaller is better). */
  private rank(s: Scored, starts: number): [number, number, number, number] {
    const per = (o: Objective) => median(Array.from({ length: starts }, (_v, i) => s.values[i * 3 + OBJ_INDEX[o]]));
    return [per(this.objective), per(TIE[this.objective]), s.point.u, s.point.v];
  }

  best(starts: number): Scored[] {
    const all = [...this.scored.values()].map((s) => ({ s, r: this.rank(s, starts) }));
    // Compared, not subtracted: Infinity − Infinity would be NaN.
    all.sort((a, b) => cmp(a.r, b.r));
    return all.map((x) => x.s);
  }

  /**
   * The best setting of each of the {@link TOP} best valleys: settings in
   * rank order, skipping any within one grid spacing of a better one taken,
   * so refinement also looks beyond the best valley (a jagged objective has
   * several).
   */
  private valleys(starts: number): Scored[] {
    const su = 1 << REFINE_BITS;
    const out: Scored[] = [];
    for (const s of this.best(starts)) {
      if (out.some((o) => Math.abs(o.point.u - s.point.u) < su && Math.abs(o.point.v - s.point.v) < su)) continue;
      out.push(s);
      if (out.length === TOP) break;
    }
    return out;
  }

  /** The next settings to score (empty: done). */
  propose(starts: number): Point[] {
    const left = this.settings - this.scored.size;
    if (left <= 0) return (this.proposed = []);
    if (this.round === 0) {
      this.round = 1;
      return (this.proposed = this.lattice.grid().slice(0, left));
    }
    const L = this.lattice;
    for (; this.round <= REFINE_BITS; this.round++) {
      const hu = (1 << REFINE_BITS) >> this.round;
      const hv = L.gv > 1 ? hu : 0;
      const out: Point[] = [];
      const seen = new Set<number>();
      for (const s of this.valleys(starts)) {
        const { u, v } = s.point;
        const near: Point[] = [
          { u: u - hu, v },
          { u: u + hu, v },
        ];
        if (hv) near.push({ u, v: v - hv }, { u, v: v + hv });
        for (const p of near) {
          if (p.u < 0 || p.u > L.du || p.v < 0 || (L.gv > 1 && p.v > L.dv)) continue;
          const k = key(p);
          if (this.scored.has(k) || seen.has(k)) continue;
          seen.add(k);
          out.push(p);
        }
      }
      if (out.length) {
        this.round++;
        return (this.proposed = out.slice(0, left));
      }
    }
    return (this.proposed = []);
  }

  accept(cache: Map<number, Scored>): void {
    for (const p of this.proposed) this.scored.set(key(p), cache.get(key(p))!);
  }
}

function cmp(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * Tunes every entry for every objective on the pool (all searches advance
 * together, so each pool call holds work for every optimizer). Results are
 * entry by entry, objective by objective.
 */
export async function tune(
  problem: TuneProblem,
  entries: readonly TuneEntry[],
  settings: TuneSettings,
  pool: RunPool,
  o: RunOptions = {},
): Promise<TuneOutcome[]> {
  const S = problem.starts.length;
  const [lo, hi] = settings.lrRange ?? DEFAULT_LR_RANGE;
  const budget = settings.budget ?? DEFAULT_SETTINGS * S;
  const lattice = new Lattice(Math.floor(budget / S), settings.also !== undefined);
  const also = settings.also;
  const alsoKeys = also ? also.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  // The library's pure-arithmetic exp and log, not Math.pow: the same lattice in every engine.
  const lrOf = (p: Point) => lo * exp(log(hi / lo) * (p.u / lattice.du));
  const vOf = (p: Point) => (also ? also.range[0] + ((also.range[1] - also.range[0]) * p.v) / lattice.dv : NaN);
  const specOf = (e: TuneEntry, p: Point, x0: number[]): RunSpec => {
    const opt: Record<string, unknown> = { ...e.optimizer, lr: lrOf(p) };
    if (also) {
      const [k, i] = alsoKeys as [string, number | undefined];
      if (i === undefined) opt[k] = vOf(p);
      else {
        const arr = (optimizerOptions(e.optimizer as RunSpec["optimizer"])[k] as number[]).slice();
        arr[i] = vOf(p);
        opt[k] = arr;
      }
    }
    const closure = evaluatesPerStep(e.optimizer.name);
    const base = e.scheduler ? (optimizerOptions(e.optimizer as RunSpec["optimizer"]).lr as number) : 0;
    const scheduler = e.scheduler ? (base > 0 ? scaleSchedule(e.scheduler, (opt.lr as number) / base) : e.scheduler) : undefined;
    return {
      function: problem.function,
      optimizer: opt as RunSpec["optimizer"],
      ...(scheduler ? { scheduler } : {}),
      x0,
      steps: problem.steps,
      dtype: problem.dtype,
      ...(closure ? { maxEvals: problem.steps } : {}),
    } as RunSpec;
  };
  // The ends of the ranges must make runs the library accepts (and `also` a numeric option of each optimizer).
  entries.forEach((e, n) => {
    const run = normalizeSpec({
      function: problem.function,
      optimizer: e.optimizer as RunSpec["optimizer"],
      ...(e.scheduler ? { scheduler: e.scheduler } : {}),
      x0: problem.starts[0],
      steps: 0,
    });
    if (also) parsePath("--also", `optimizer.${also.path}`, run);
    for (const p of [
      { u: lattice.du, v: 0 },
      { u: 0, v: also ? lattice.dv : 0 },
    ]) {
      try {
        normalizeSpec(specOf(e, p, problem.starts[0]));
      } catch (err) {
        const what = p.u ? `optimizer.lr` : `optimizer.${also!.path}`;
        throw refused(p.u ? "--lr-range" : "--also", `${entries[n].text}: ${what}`, p.u ? lrOf(p) : vOf(p), err);
      }
    }
  });
  const caches = entries.map(() => new Map<number, Scored>());
  const searches = entries.flatMap((_e, n) => settings.objectives.map((obj) => new Search(n, obj, lattice, Math.floor(budget / S))));
  const measure = { kind: "objectives" as const, fStar: problem.fStar, epsilon: problem.epsilon, budget: problem.steps };
  const runsBound = searches.length * Math.floor(budget / S) * S;
  let runsDone = 0;
  for (;;) {
    const wanted: { entry: number; point: Point }[] = [];
    const queued = new Set<string>();
    let active = 0;
    for (const s of searches) {
      const props = s.propose(S);
      if (props.length) active++;
      for (const p of props) {
        const id = `${s.entry}:${key(p)}`;
        if (caches[s.entry].has(key(p)) || queued.has(id)) continue;
        queued.add(id);
        wanted.push({ entry: s.entry, point: p });
      }
    }
    if (!active) {
      o.onProgress?.(runsDone, runsDone);
      break;
    }
    const specs = wanted.flatMap((w) => problem.starts.map((x0) => specOf(entries[w.entry], w.point, x0)));
    const before = runsDone;
    const values = await pool.run(chunkTasks(specs, taskSize(specs.length, problem.steps, pool.size), problem.backend, measure), {
      signal: o.signal,
      // Across the rounds: the total is the budget's bound (settings run for one objective serve the others free).
      onProgress: (d) => o.onProgress?.(before + d, Math.max(runsBound, before + d)),
    });
    runsDone += specs.length;
    const flat = new Float64Array(specs.length * 3);
    let at = 0;
    for (const v of values) {
      flat.set(v, at);
      at += v.length;
    }
    wanted.forEach((w, i) => caches[w.entry].set(key(w.point), { point: w.point, values: flat.slice(i * S * 3, (i + 1) * S * 3) }));
    for (const s of searches) s.accept(caches[s.entry]);
  }
  return searches.map((s) => {
    const best = s.best(S)[0];
    const j = OBJ_INDEX[s.objective];
    const perStart = Array.from({ length: S }, (_v, i) => best.values[i * 3 + j]);
    let mn = Infinity,
      mx = -Infinity;
    for (const v of perStart) {
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    return {
      optimizer: entries[s.entry].text,
      lr: lrOf(best.point),
      also: also ? { [also.path]: vOf(best.point) } : null,
      objective: median(perStart),
      spread: [mn, mx] as [number, number],
      objectiveName: s.objective,
      perStart,
      settings: s.scored.size,
    };
  });
}
