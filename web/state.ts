/**
 * The lab's whole state: its types, defaults, and what the library's option
 * schemas say about each optimizer and scheduler (kinds, defaults, the lab's
 * starting values), plus the run specs a state asks for. Its URL-hash form
 * is in link.ts.
 */
import {
  createFunction,
  createOptimizer,
  normalizeSpec,
  resolveOptimizer,
  schedulerDefaults,
  schedulerNames,
  schedulerOptionNames,
  schedulerSchemas,
  type FunctionName,
  type OptionSpec,
  type FunctionSpec,
  type OptimizerName,
  type RunSpec,
  type SchedulerName,
  type SchedulerSpec,
} from "optimlab";

import { defaultNets, type NetsState } from "./networks/state.js";

/** An optimizer option's value as the lab holds it: a number, a flag, a choice, a tuple (betas, etas…) or null (an option's "none"). */
export type OptionValue = number | boolean | string | number[] | null;
export type Options = Record<string, OptionValue>;

export type SchedulerValue = number | boolean | string | number[];

/** A scheduler of one optimizer; `sequentialLR` and `chainedScheduler` keep their stages in `children` (sequentialLR its milestones in `options`). */
export interface SchedulerEntry {
  name: SchedulerName;
  /** Options the user set plus the required ones (the library's defaults fill the others). */
  options: Record<string, SchedulerValue>;
  children?: SchedulerEntry[];
}

export interface OptimizerEntry {
  name: OptimizerName;
  /** Options the user set (the library's defaults fill the others). */
  options: Options;
  scheduler?: SchedulerEntry;
}

export type SweepY = "beta1" | "momentum" | "alpha" | "rho";
export const SWEEP_YS: readonly SweepY[] = ["beta1", "momentum", "alpha", "rho"];
/** What a sweep maps: lr × a β-like option, or start points (basins of attraction). */
export type SweepKind = "hyper" | "basins";
/** What a hyperparameter sweep colours: final loss, or steps until f − f* ≤ ε. */
export type SweepMetric = "loss" | "steps";
export const SWEEP_EPS = [1e-2, 1e-4, 1e-6] as const;

/** A typed formula with what the lab lets one say about it (see FormulaSpec). */
export interface LabFormula {
  expr: string;
  /** Known minima (drawn, used by steps-to-converge and the basins map); empty when none are given. */
  minima: [number, number][];
  /** The plotting window; undefined: the library's default ([−4, 4]², grown to include the start). */
  domain?: { x: [number, number]; y: [number, number] };
}

/** What the formula box holds when "formula" is first picked. */
export const DEFAULT_FORMULA = "sin(x)*cos(y) + (x^2 + y^2)/10";

export interface LabState {
  /** A built-in with its parameters, or `name: "expr"` with `formula` (params then empty). */
  fn: { name: FunctionName | "expr"; params: Record<string, number | number[]>; formula?: LabFormula };
  x0: [number, number];
  steps: number;
  /** Early stopping (the library's tol/patience): stop after `patience` steps with |Δloss| < tol. */
  tol: number | undefined;
  patience: number | undefined;
  dtype: "f32" | "f64";
  backend: "wasm" | "js";
  optimizers: OptimizerEntry[];
  view: "contour" | "surface";
  /** The step shown; undefined: the last one. */
  frame: number | undefined;
  sweep: { target: number; y: SweepY; n: number; metric: SweepMetric; kind: SweepKind; eps: number };
  /** The page shown: the race on a function, or the Networks view. */
  page: "race" | "nets";
  /** The Networks view (web/networks/). */
  nets: NetsState;
}

export const MAX_STEPS = 5000;
export const MAX_OPTIMIZERS = 8;
export const SWEEP_SIZES = [8, 12, 16, 24, 32, 48] as const;

/**
 * Learning rates that move visibly in a few hundred steps on the lab's 2-D
 * functions (the library's defaults are PyTorch's, made for networks); an
 * optimizer not listed starts at its library default.
 */
const LAB_LR_CHOSEN: Readonly<Partial<Record<OptimizerName, number>>> = {
  sgd: 0.01,
  momentum: 0.01,
  nesterov: 0.01,
  adagrad: 0.5,
  rmsprop: 0.05,
  adadelta: 1,
  adam: 0.1,
  adamw: 0.1,
  adamax: 0.1,
  nadam: 0.1,
  radam: 0.1,
  rprop: 0.01,
  asgd: 0.01,
  lion: 0.01,
  adabelief: 0.1,
  adan: 0.1,
  adopt: 0.1,
  sfsgd: 0.05,
  sfadamw: 0.05,
};

/** The lr a newly picked optimizer starts with. */
export function labLr(name: OptimizerName): number {
  return LAB_LR_CHOSEN[name] ?? (optionDefaults(name).lr as number);
}

export function defaultState(): LabState {
  return {
    fn: { name: "rosenbrock", params: {} },
    x0: [-1.2, 1],
    steps: 300,
    tol: undefined,
    patience: undefined,
    dtype: "f32",
    backend: "wasm",
    optimizers: [
      { name: "sgd", options: { lr: 0.001 } },
      { name: "momentum", options: { lr: 0.001 } },
      { name: "rmsprop", options: { lr: 0.01 } },
      { name: "adam", options: { lr: 0.05 } },
    ],
    view: "contour",
    frame: undefined,
    sweep: { target: 3, y: "beta1", n: 16, metric: "loss", kind: "hyper", eps: 1e-4 },
    page: "race",
    nets: defaultNets(),
  };
}

/** The option schema (defaults) of an optimizer name, aliases resolved. */
export function optionDefaults(name: OptimizerName): Record<string, OptionValue> {
  const { def, options } = resolveOptimizer(name, {});
  const out: Record<string, OptionValue> = {};
  for (const [k, spec] of Object.entries(def.schema as Record<string, { default: unknown }>)) {
    const v = k in options ? options[k] : spec.default;
    out[k] = (Array.isArray(v) ? v.slice() : v) as OptionValue;
  }
  return out;
}

/** An optimizer's options in its schema's order (so equal settings give the same link). */
export function inSchemaOrder(name: OptimizerName, options: Options): Options {
  const order = Object.keys(optionDefaults(name));
  return Object.fromEntries(order.filter((k) => k in options).map((k) => [k, options[k]]));
}

/** The schema's kind of an optimizer option (what the editor shows and the link parses). */
export function optionKind(name: OptimizerName, option: string): OptionSpec<unknown>["kind"] | undefined {
  const { def } = resolveOptimizer(name, {});
  return (def.schema as Record<string, OptionSpec<unknown> | undefined>)[option]?.kind;
}

/** Allowed values of a string option, from the optimizer's schema. */
export function allowedStrings(name: OptimizerName, option: string): string[] {
  const { def } = resolveOptimizer(name, {});
  const kind = (def.schema as Record<string, OptionSpec<unknown> | undefined>)[option]?.kind;
  return kind?.type === "choice" ? [...kind.values] : [];
}

/** Which sweep y-parameters an optimizer has. */
export function sweepYs(name: OptimizerName): SweepY[] {
  const d = optionDefaults(name);
  return SWEEP_YS.filter((y) => (y === "beta1" ? "betas" in d : y in d));
}

/** Full, validated options (defaults filled) — throws the library's field error. */
export function checkOptimizer(e: OptimizerEntry): void {
  createOptimizer(e.name, [{ data: new Float64Array(2), grad: new Float64Array(2) }], { ...e.options });
}

/** A RunSpec's `function` field of the state. */
export function functionSpec(s: LabState): FunctionSpec {
  const f = s.fn.formula;
  if (s.fn.name === "expr" && f) {
    return {
      expr: f.expr,
      ...(f.minima.length ? { minima: f.minima.map((x) => ({ x: [x[0], x[1]] })) } : {}),
      ...(f.domain ? { domain: { x: [...f.domain.x], y: [...f.domain.y] } } : {}),
    };
  }
  return { name: s.fn.name as FunctionName, ...s.fn.params };
}

/** A formula's minima as typed: `x,y; x,y` (empty: none). Throws `m: …` for anything else. */
export function parseMinima(text: string): [number, number][] {
  if (text.trim() === "") return [];
  return text.split(";").map((p, i) => {
    const xy = p.split(",").map((t) => t.trim());
    if (xy.length !== 2) throw new Error(`m[${i}]: must be a point x,y; got ${JSON.stringify(p.trim())}`);
    return [parseNumber(`m[${i}].x`, xy[0]), parseNumber(`m[${i}].y`, xy[1])];
  });
}

/** A formula's window as typed: `x0,x1,y0,y1` (empty: the default). Throws `dom: …` for anything else. */
export function parseDomain(text: string): LabFormula["domain"] {
  if (text.trim() === "") return undefined;
  const v = text.split(",").map((t) => t.trim());
  if (v.length !== 4) throw new Error(`dom: must be four numbers x0,x1,y0,y1; got ${JSON.stringify(text)}`);
  const [x0, x1, y0, y1] = v.map((t, i) => parseNumber(`dom[${i}]`, t));
  if (!(x1 > x0 && y1 > y0)) throw new Error(`dom: needs x0 < x1 and y0 < y1; got ${text}`);
  return { x: [x0, x1], y: [y0, y1] };
}

/** The minima and window of a formula as the lab writes them (and the link holds them). */
export const minimaText = (m: readonly [number, number][]): string => m.map((p) => `${p[0]},${p[1]}`).join(";");
export const domainText = (d: LabFormula["domain"]): string => (d ? `${d.x[0]},${d.x[1]},${d.y[0]},${d.y[1]}` : "");

/**
 * Checks a formula as the lab draws it (2-D, the library's validation):
 * undefined, or the message and 1-based column to mark (undefined column:
 * the fault is not at one place, e.g. "x1 + x3" is 3-D).
 */
export function formulaFault(f: LabFormula): { message: string; column: number | undefined } | undefined {
  try {
    createFunction(
      { expr: f.expr, ...(f.minima.length ? { minima: f.minima.map((x) => ({ x: [...x] })) } : {}), ...(f.domain ? { domain: f.domain } : {}) },
      2,
    );
    return undefined;
  } catch (err) {
    const e = err as Error & { field?: string; column?: number };
    const message = e.field === "dim" ? "the lab draws 2-D functions: use x and y (or x1 and x2)" : e.message;
    return { message, column: e.column };
  }
}

// ---------------------------------------------------------------- schedulers

/** Which control (and which hash syntax) a scheduler option takes, from its schema; the library validates the values. */
export type SchedulerOptionKind = "number" | "integer" | "list" | "boolean" | "stages" | readonly string[];
export function schedulerOptionKind(name: SchedulerName, key: string): SchedulerOptionKind {
  const k = schedulerSchemas[name][key].kind;
  switch (k.type) {
    case "number":
      return k.integer ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "choice":
      return k.values;
    case "numbers":
      return "list";
    case "schedulers":
      return "stages";
  }
  return "number";
}

/** Whether a scheduler holds other schedulers (sequentialLR, chainedScheduler): the lab edits them as stages. */
export function hasStages(name: SchedulerName): boolean {
  return Object.values(schedulerSchemas[name]).some((o: OptionSpec<unknown>) => o.kind.type === "schedulers");
}

/** Whether an option may be left out although it has no default (oneCycleLR's totalSteps / epochs alternatives). */
export function schedulerOptionOptional(name: SchedulerName, key: string): boolean {
  return schedulerSchemas[name][key].optional === true;
}

/** Schedulers the lab offers as stages: not reduceLROnPlateau (it needs the loss), not another scheduler of stages. */
export const CHILD_SCHEDULERS = schedulerNames.filter((n) => n !== "reduceLROnPlateau" && !hasStages(n));

/**
 * A scheduler as first picked: the library's defaults plus values for its
 * required options that suit a race of `steps` steps at learning rate `lr`
 * with `optimizer`.
 */
export function newScheduler(name: SchedulerName, steps: number, lr: number, optimizer: OptimizerName): SchedulerEntry {
  const q = (f: number) => Math.max(1, Math.round(steps * f));
  switch (name) {
    case "stepLR":
      return { name, options: { stepSize: q(1 / 3), gamma: 0.5 } };
    case "multiStepLR":
      return { name, options: { milestones: [q(1 / 2), q(3 / 4)], gamma: 0.3 } };
    case "exponentialLR":
      return { name, options: { gamma: Number((0.01 ** (1 / Math.max(1, steps))).toFixed(4)) } };
    case "cosineAnnealingLR":
      return { name, options: { tMax: steps } };
    case "linearLR":
      return { name, options: { startFactor: 0.1, totalIters: q(0.1) } };
    case "oneCycleLR": {
      // Cycling momentum needs a momentum or betas to cycle (torch refuses it otherwise).
      const d = optionDefaults(optimizer);
      return { name, options: { maxLr: lr, totalSteps: steps, ...("momentum" in d || "betas" in d ? {} : { cycleMomentum: false }) } };
    }
    case "reduceLROnPlateau":
      return { name, options: { factor: 0.5, patience: 10 } };
    case "constantLR":
      return { name, options: { factor: 0.5, totalIters: q(0.2) } };
    case "polynomialLR":
      return { name, options: { totalIters: steps, power: 2 } };
    case "cosineAnnealingWarmRestarts":
      return { name, options: { tZero: q(1 / 4) } };
    case "cyclicLR": {
      // cyclicLR sets the lr itself, from baseLr up to maxLr; cycling momentum needs one to cycle, as for oneCycleLR.
      const d = optionDefaults(optimizer);
      return {
        name,
        options: {
          baseLr: Number((lr / 10).toPrecision(3)),
          maxLr: lr,
          stepSizeUp: q(1 / 8),
          ...("momentum" in d || "betas" in d ? {} : { cycleMomentum: false }),
        },
      };
    }
    case "chainedScheduler":
      return {
        name,
        options: {},
        children: [
          { name: "linearLR", options: { startFactor: 0.1, totalIters: q(0.1) } },
          { name: "exponentialLR", options: { gamma: 0.995 } },
        ],
      };
    case "sequentialLR": {
      const m = q(0.1);
      return {
        name,
        options: { milestones: [m] },
        children: [
          { name: "linearLR", options: { startFactor: 0.1, totalIters: m } },
          { name: "cosineAnnealingLR", options: { tMax: Math.max(1, steps - m) } },
        ],
      };
    }
  }
}

/**
 * The optimizers with their schedules stretched to a new race length: a
 * length that spanned the whole race (tMax or totalSteps equal to the old
 * steps, or to the last sequentialLR stage's share) spans the new one.
 * Lengths the user set to something else are left alone.
 */
export function followSteps(optimizers: OptimizerEntry[], oldSteps: number, steps: number): OptimizerEntry[] {
  const stretch = (e: SchedulerEntry, span: number, to: number): SchedulerEntry => {
    const options = { ...e.options };
    for (const k of ["tMax", "totalSteps"]) if (options[k] === span && to >= 1) options[k] = to;
    return { ...e, options };
  };
  return optimizers.map((o) => {
    const sc = o.scheduler;
    if (!sc) return o;
    if (sc.name === "chainedScheduler") return { ...o, scheduler: { ...sc, children: (sc.children ?? []).map((c) => stretch(c, oldSteps, steps)) } };
    if (sc.name !== "sequentialLR") return { ...o, scheduler: stretch(sc, oldSteps, steps) };
    const ms = (sc.options.milestones as number[] | undefined) ?? [];
    const last = ms.length ? ms[ms.length - 1] : 0;
    const kids = (sc.children ?? []).map((c, i, all) => (i === all.length - 1 ? stretch(c, oldSteps - last, steps - last) : c));
    return { ...o, scheduler: { ...sc, children: kids } };
  });
}

/** The library's spec of a scheduler entry. */
export function schedulerSpec(e: SchedulerEntry): SchedulerSpec {
  const spec: SchedulerSpec = { name: e.name, ...structuredClone(e.options) };
  if (hasStages(e.name)) spec.schedulers = (e.children ?? []).map(schedulerSpec);
  return spec;
}

/** An option's value for the editor: set, else the library's default, else undefined (required). */
export function schedulerValue(e: SchedulerEntry, key: string): SchedulerValue | undefined {
  return key in e.options ? e.options[key] : (schedulerDefaults[e.name][key] as SchedulerValue | undefined);
}

/** Options an editor shows (the stages of sequentialLR and chainedScheduler have their own editors). */
export function schedulerFields(name: SchedulerName): string[] {
  return schedulerOptionNames[name].filter((k) => schedulerOptionKind(name, k) !== "stages");
}

/** The lab's RunSpec of optimizer k (validated by the caller). */
export function runSpec(s: LabState, k: number): RunSpec {
  const o = s.optimizers[k];
  return {
    function: functionSpec(s),
    optimizer: { name: o.name, ...o.options },
    ...(o.scheduler ? { scheduler: schedulerSpec(o.scheduler) } : {}),
    x0: [...s.x0],
    steps: s.steps,
    dtype: s.dtype,
    ...(s.tol !== undefined ? { tol: s.tol } : {}),
    ...(s.tol !== undefined && s.patience !== undefined ? { patience: s.patience } : {}),
  };
}

/** Throws the library's field error when optimizer k's run would be refused (options, scheduler, steps). */
export function checkRun(s: LabState, k: number): void {
  normalizeSpec(runSpec(s, k));
}

/** A decimal literal (never evaluated), finite; the field names a bad one. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export function parseNumber(field: string, text: string): number {
  if (!NUMBER.test(text)) throw new Error(`${field}: must be a decimal number; got ${JSON.stringify(text)}`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new Error(`${field}: must be finite; got ${JSON.stringify(text)}`);
  return v;
}
