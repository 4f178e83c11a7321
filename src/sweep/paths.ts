/**
 * Paths into a run spec, the names of what a sweep or a tuning varies:
 * `optimizer.lr`, `optimizer.betas.0`, `scheduler.gamma`,
 * `scheduler.schedulers.1.tMax`, `x0.0`. A path names one number; it is
 * checked against the run (the optimizer's and scheduler's option schemas,
 * the start point's length) before anything runs.
 *
 * Setting `optimizer.lr` scales the scheduler's absolute learning rates
 * (`maxLr`, `etaMin`, `minLr`, `baseLr`, in nested schedulers too) by the
 * same factor, so a learning-rate axis is the scale of the whole schedule
 * rather than a value a `oneCycleLR` would overwrite.
 */
import { rangeError } from "../errors.js";
import { resolveOptimizer } from "../optim/index.js";
import { resolveOptions } from "../optim/schema.js";
import type { OptionKind } from "../schema.js";
import { schedulerSchemas, type SchedulerName, type SchedulerSpec } from "../schedulers/index.js";
import type { NormalizedSpec, RunSpec } from "../run.js";

/** A checked path: its text and its keys (array indices as numbers). */
export interface SpecPath {
  readonly text: string;
  readonly keys: readonly (string | number)[];
}

/** Scheduler options in units of the learning rate: setting the lr scales them alike. */
export const LR_SCHEDULER_OPTIONS = ["maxLr", "etaMin", "minLr", "baseLr"] as const;

/**
 * The scheduler of a run whose lr is multiplied by `factor`: its absolute
 * learning rates (oneCycleLR's and cyclicLR's maxLr, cyclicLR's baseLr,
 * cosine's etaMin, plateau's minLr, in the stages of sequential and chained
 * schedulers too) scale alike. Options left at their defaults stay so.
 */
export function scaleSchedule(spec: SchedulerSpec | undefined, factor: number): SchedulerSpec | undefined {
  if (!spec) return undefined;
  const out: SchedulerSpec = { ...spec };
  for (const k of LR_SCHEDULER_OPTIONS) if (typeof out[k] === "number") out[k] = (out[k] as number) * factor;
  if (Array.isArray(out.schedulers)) out.schedulers = (out.schedulers as SchedulerSpec[]).map((c) => scaleSchedule(c, factor)!);
  return out;
}

/** The optimizer's options with every default filled (aliases resolved). */
export function optimizerOptions(optimizer: RunSpec["optimizer"]): Record<string, unknown> {
  const { name, ...given } = optimizer;
  const r = resolveOptimizer(name, given);
  return resolveOptions(r.def.schema, r.options, name) as Record<string, unknown>;
}

/** An optimizer's options with nothing given (its alias's defaults), kept per name; read-only. */
function defaultsOf(name: string): Readonly<Record<string, unknown>> {
  let d = defaults.get(name);
  if (!d) defaults.set(name, (d = optimizerOptions({ name } as RunSpec["optimizer"])));
  return d;
}
const defaults = new Map<string, Readonly<Record<string, unknown>>>();

/** The numeric paths of an optimizer's options (`lr`, `betas.0`, `betas.1`, …), for messages and pickers. */
export function numericOptionPaths(name: string): string[] {
  const r = resolveOptimizer(name);
  const out: string[] = [];
  for (const [k, s] of Object.entries(r.def.schema as Record<string, { kind: OptionKind }>)) {
    if (s.kind.type === "number") out.push(k);
    else if (s.kind.type === "numbers" && s.kind.length !== undefined) for (let i = 0; i < s.kind.length; i++) out.push(`${k}.${i}`);
  }
  return out;
}

/**
 * Checks `text` as a path into `run` (a validated spec): errors name
 * `field` and list what the run allows.
 */
export function parsePath(field: string, text: unknown, run: NormalizedSpec): SpecPath {
  if (typeof text !== "string" || text === "")
    throw rangeError(field, `must be a path such as "optimizer.lr", "optimizer.betas.0", "scheduler.gamma" or "x0.0"; got ${JSON.stringify(text)}`);
  const parts = text.split(".");
  const keys: (string | number)[] = parts.map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
  const root = keys[0];
  if (root === "x0") {
    const i = keys[1];
    if (keys.length !== 2 || typeof i !== "number" || i >= run.x0.length) {
      throw rangeError(field, `${JSON.stringify(text)}: a start coordinate is x0.0 … x0.${run.x0.length - 1} (this run is ${run.x0.length}-D)`);
    }
    return { text, keys };
  }
  if (root === "optimizer") {
    const allowed = numericOptionPaths(run.optimizer.name);
    if (!allowed.includes(parts.slice(1).join("."))) {
      throw rangeError(
        field,
        `${JSON.stringify(text)} is not a numeric option of ${run.optimizer.name}; allowed: ${allowed.map((p) => `optimizer.${p}`).join(", ")}`,
      );
    }
    return { text, keys };
  }
  if (root === "scheduler") {
    if (!run.scheduler) throw rangeError(field, `${JSON.stringify(text)}: the run has no scheduler`);
    checkSchedulerPath(field, text, run.scheduler, keys.slice(1));
    return { text, keys };
  }
  throw rangeError(field, `${JSON.stringify(text)} must start with optimizer., scheduler. or x0.`);
}

function checkSchedulerPath(field: string, text: string, spec: SchedulerSpec, keys: readonly (string | number)[]): void {
  const schema = schedulerSchemas[spec.name as SchedulerName] as Record<string, { kind: OptionKind }> | undefined;
  const [k, ...rest] = keys;
  const numeric = schema
    ? Object.entries(schema)
        .filter(([, s]) => s.kind.type === "number")
        .map(([n]) => n)
    : [];
  const kind = schema && typeof k === "string" ? schema[k]?.kind : undefined;
  if (kind?.type === "schedulers" && typeof rest[0] === "number") {
    const children = spec[k as string] as SchedulerSpec[] | undefined;
    if (Array.isArray(children) && rest[0] < children.length) {
      checkSchedulerPath(field, text, children[rest[0]], rest.slice(1));
      return;
    }
    throw rangeError(field, `${JSON.stringify(text)}: ${spec.name} has ${Array.isArray(children) ? children.length : 0} schedulers`);
  }
  if (kind?.type === "number" && rest.length === 0) return;
  if (
    kind?.type === "numbers" &&
    rest.length === 1 &&
    typeof rest[0] === "number" &&
    Array.isArray(spec[k as string]) &&
    rest[0] < (spec[k as string] as unknown[]).length
  )
    return;
  throw rangeError(
    field,
    `${JSON.stringify(text)} is not a numeric option of ${spec.name}; allowed: ${numeric.map((n) => `scheduler${pathTail(text, keys)}${n}`).join(", ") || "none"}`,
  );
}

/** The part of `text` before the keys being checked, as a prefix ("." or ".schedulers.1."). */
function pathTail(text: string, keys: readonly (string | number)[]): string {
  const parts = text.split(".");
  return (
    "." +
    parts
      .slice(1, parts.length - keys.length)
      .map((p) => p + ".")
      .join("")
  );
}

/**
 * The run with the number at each path set, as plain JSON (the caller's
 * objects are not changed). `lrBase` is the lr the scheduler's absolute
 * rates belong to (the run's own lr); an `optimizer.lr` setting scales them
 * by value / lrBase.
 */
export function withValues(run: RunSpec, paths: readonly SpecPath[], values: readonly number[], lrBase: number): RunSpec {
  let out: RunSpec = { ...run };
  paths.forEach((p, k) => {
    const v = values[k];
    const [root, ...rest] = p.keys;
    if (root === "x0") {
      const x0 = (out.x0 as number[]).slice();
      x0[rest[0] as number] = v;
      out.x0 = x0;
    } else if (root === "optimizer") {
      const o: Record<string, unknown> = { ...out.optimizer };
      const key = rest[0] as string;
      if (rest.length === 2) {
        // A tuple left out (betas) starts from its default, which no other option changes (this runs for every cell).
        const arr = ((o[key] ?? defaultsOf(out.optimizer.name)[key]) as number[]).slice();
        arr[rest[1] as number] = v;
        o[key] = arr;
      } else o[key] = v;
      out = { ...out, optimizer: o as RunSpec["optimizer"] };
      if (key === "lr" && out.scheduler) out.scheduler = scaleSchedule(out.scheduler, v / lrBase);
    } else {
      out = { ...out, scheduler: setIn(out.scheduler as Record<string, unknown>, rest, v) as SchedulerSpec };
    }
  });
  return out;
}

function setIn(obj: unknown, keys: readonly (string | number)[], v: number): unknown {
  if (keys.length === 0) return v;
  const [k, ...rest] = keys;
  const copy = (Array.isArray(obj) ? obj.slice() : { ...(obj as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[k] = setIn(copy[k], rest, v);
  return copy;
}

/** The number at a path of a run (defaults filled for optimizer options). */
export function valueAt(run: RunSpec, p: SpecPath): number {
  const [root, ...rest] = p.keys;
  if (root === "x0") return (run.x0 as number[])[rest[0] as number];
  let v: unknown = root === "optimizer" ? optimizerOptions(run.optimizer) : run.scheduler;
  for (const k of rest) v = (v as Record<string | number, unknown>)?.[k];
  return v as number;
}

/** A validated run as plain JSON (every field it had, undefined ones dropped, x0 filled). */
export function plainRun(run: NormalizedSpec): RunSpec {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run)) if (v !== undefined) out[k] = v;
  return structuredClone(out) as unknown as RunSpec;
}

/** `rangeError` for a value of a path that the library refuses in a run. */
export function refused(field: string, path: string, value: number, e: unknown): Error {
  return rangeError(field, `${path} = ${value} gives a run the library refuses: ${(e as Error).message}`);
}
