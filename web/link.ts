/**
 * The lab's whole state and its URL-hash form.
 *
 * The hash reads like the CLI's `compare` arguments:
 *   #f=quadratic:weights=0.2/2&x0=3,4&steps=60&tol=1e-9&patience=5&dtype=f32
 *    &backend=wasm&o=adam:lr=0.2:betas=0.9/0.99,sgd:lr=0.1
 *    &s=cosineAnnealingLR:tMax=60,-&view=contour&t=20&sweep=0:beta1:24:loss:hyper:0.0001
 * `f` is `name[:param=value]…`; a formula replaces it by `expr` (the text,
 * percent-encoded once with encodeURIComponent and decoded once), with
 * optional `m` (its minima, `x,y;x,y`) and `dom` (its window,
 * `x0,x1,y0,y1`). `o` a comma-separated list of
 * `name[:option=value]…` (arrays as `a/b`), `s` one scheduler per optimizer
 * (`-`: none; the stages of sequentialLR and chainedScheduler `name;option=value…` joined by `+` in
 * `schedulers=`), `t` the shown step (absent: the last), `sweep`
 * `optimizer:y:cells:metric:kind:ε`. Only options that were set are
 * written; the library's defaults fill the rest. The Networks view adds
 * `page=nets` and its own fields (web/networks/link.ts).
 *
 * Parsing never evaluates text: every field is split by fixed separators,
 * numbers must match a decimal literal, and each value is validated by the
 * library itself (createFunction, createOptimizer, the option schemas). A bad
 * field is dropped (its default is used) and reported in `errors`.
 */
import { createFunction, functionNames, optimizerNames, schedulerNames, type FunctionName, type OptimizerName, type SchedulerName } from "optimlab";
import {
  CHILD_SCHEDULERS,
  defaultState,
  domainText,
  formulaFault,
  hasStages,
  MAX_OPTIMIZERS,
  MAX_STEPS,
  minimaText,
  optionDefaults,
  optionKind,
  parseDomain,
  parseMinima,
  parseNumber,
  schedulerFields,
  schedulerOptionKind,
  SWEEP_EPS,
  SWEEP_SIZES,
  SWEEP_YS,
  checkOptimizer,
  checkRun,
  functionSpec,
  sweepYs,
  type LabFormula,
  type Options,
  type LabState,
  type OptimizerEntry,
  type OptionValue,
  type SchedulerEntry,
  type SchedulerValue,
} from "./state.js";

import { NETS_KEYS, netsParts, parseNetsFields } from "./networks/link.js";

// ---------------------------------------------------------------- serialise

function fmt(v: OptionValue | number[]): string {
  if (Array.isArray(v)) return v.map((x) => String(x)).join("/");
  return v === null ? "null" : String(v);
}

export function kv(name: string, params: Record<string, OptionValue | number[]>, sep = ":"): string {
  return [name, ...Object.entries(params).map(([k, v]) => `${k}=${fmt(v)}`)].join(sep);
}

/** `name:k=v…`; sequentialLR and chainedScheduler add `schedulers=child+child`, a child being `name;k=v…`. */
export function schedulerText(e: SchedulerEntry | undefined): string {
  if (!e) return "-";
  const head = kv(e.name, e.options as Record<string, OptionValue | number[]>);
  if (!hasStages(e.name)) return head;
  return `${head}:schedulers=${(e.children ?? []).map((c) => kv(c.name, c.options as Record<string, OptionValue | number[]>, ";")).join("+")}`;
}

/** The hash (without '#') of a state. Deterministic: parse(serialize(s)) serialises back to the same text. */
export function serializeState(s: LabState): string {
  const f = s.fn.name === "expr" ? s.fn.formula : undefined;
  const problem: [string, string][] = f
    ? [
        ["expr", f.expr],
        ...(f.minima.length ? [["m", minimaText(f.minima)] as [string, string]] : []),
        ...(f.domain ? [["dom", domainText(f.domain)] as [string, string]] : []),
      ]
    : [["f", kv(s.fn.name, s.fn.params)]];
  const parts: [string, string][] = [
    ...problem,
    ["x0", s.x0.map(String).join(",")],
    ["steps", String(s.steps)],
    ...(s.tol !== undefined ? [["tol", String(s.tol)] as [string, string]] : []),
    ...(s.tol !== undefined && s.patience !== undefined ? [["patience", String(s.patience)] as [string, string]] : []),
    ["dtype", s.dtype],
    ["backend", s.backend],
    ["o", s.optimizers.map((o) => kv(o.name, o.options)).join(",")],
  ];
  if (s.optimizers.some((o) => o.scheduler)) parts.push(["s", s.optimizers.map((o) => schedulerText(o.scheduler)).join(",")]);
  parts.push(["view", s.view]);
  if (s.frame !== undefined) parts.push(["t", String(s.frame)]);
  const w = s.sweep;
  parts.push(["sweep", `${w.target}:${w.y}:${w.n}:${w.metric}:${w.kind}:${w.eps}`]);
  for (const p of netsParts(s)) parts.push(p);
  // Only ':' ',' '/' '=' and the literals appear; escape anything else. A formula's text may hold
  // anything, so it is encoded whole, once (and parseState decodes every value once).
  return parts.map(([k, v]) => `${k}=${k === "expr" ? encodeURIComponent(v) : encodeURI(v).replace(/[#&]/g, encodeURIComponent)}`).join("&");
}

// -------------------------------------------------------------------- parse

/** `name<sep>key=value<sep>…` (":" at the top, ";" inside the stages of sequentialLR and chainedScheduler); a key given twice is refused. */
export function splitKv(field: string, text: string, sep = ":"): { name: string; params: [string, string][] } {
  const [name, ...rest] = text.split(sep);
  const params = rest.map((p): [string, string] => {
    const i = p.indexOf("=");
    if (i <= 0) throw new Error(`${field}: "${p}" must be option=value`);
    return [p.slice(0, i), p.slice(i + 1)];
  });
  const seen = new Set<string>();
  for (const [k] of params) {
    if (seen.has(k)) throw new Error(`${field}: ${k} is given twice`);
    seen.add(k);
  }
  return { name, params };
}

function parseFunction(text: string): LabState["fn"] {
  const { name, params } = splitKv("f", text);
  if (!(functionNames as readonly string[]).includes(name)) throw new Error(`f: unknown function ${JSON.stringify(name)}`);
  const defaults = createFunction(name as FunctionName).params;
  const out: Record<string, number | number[]> = {};
  for (const [k, v] of params) {
    if (!(k in defaults)) throw new Error(`f: ${name} has no parameter ${JSON.stringify(k)}`);
    out[k] = Array.isArray(defaults[k]) ? v.split("/").map((x, i) => parseNumber(`f.${k}[${i}]`, x)) : parseNumber(`f.${k}`, v);
  }
  if (Array.isArray(out.weights) && out.weights.length !== 2) throw new Error("f.weights: the lab draws 2-D functions; give two weights");
  try {
    createFunction({ name: name as FunctionName, ...out }, 2); // the library's own validation
  } catch (err) {
    throw new Error(`f.${(err as Error).message}`);
  }
  return { name: name as FunctionName, params: out };
}

/** One option's text as its schema's type (the library validates the value). */
function parseOption(f: string, name: OptimizerName, key: string, _d: OptionValue, v: string): OptionValue {
  const kind = optionKind(name, key);
  if (!kind) throw new Error(`${f}: ${name} has no option ${JSON.stringify(key)}`);
  const nullable = (kind.type === "number" || kind.type === "choice") && kind.nullable === true;
  if (nullable && v === "null") return null;
  switch (kind.type) {
    case "number":
      return parseNumber(f, v);
    case "boolean":
      if (v !== "true" && v !== "false") throw new Error(`${f}: must be true or false; got ${JSON.stringify(v)}`);
      return v === "true";
    case "numbers": {
      const parts = v.split("/");
      const n = kind.length ?? parts.length;
      if (parts.length !== n) throw new Error(`${f}: must be ${n} numbers a/b${n > 2 ? "/…" : ""}; got ${JSON.stringify(v)}`);
      return parts.map((x, i) => parseNumber(`${f}[${i}]`, x));
    }
    case "choice":
      if (!kind.values.includes(v)) throw new Error(`${f}: not allowed: ${JSON.stringify(v)}`);
      return v;
    default:
      throw new Error(`${f}: cannot be set from a link`);
  }
}

/**
 * A link's comma-separated optimizers (key `o` or `no`): each unreadable one
 * is dropped with its error in `errors`; `slotOf[k]` is where the link's
 * optimizer k went (undefined: dropped), so the schedulers' list stays
 * aligned. Throws when the count is out of 1 … max or nothing could be read
 * (`fallback` says what is used instead).
 */
export function parseOptimizerList(
  v: string,
  key: string,
  max: number,
  errors: string[],
  fallback: string,
): { kept: OptimizerEntry[]; slotOf: (number | undefined)[] } {
  const list = v.split(",");
  if (list.length < 1 || list.length > max) throw new Error(`${key}: must list 1…${max} optimizers`);
  const parsed = list.map((t, k) => parseOptimizer(t, k, errors, key));
  const kept = parsed.filter((e): e is OptimizerEntry => e !== undefined);
  if (kept.length === 0) throw new Error(`${key}: no optimizer of the link could be read; ${fallback}`);
  let n = 0;
  return { kept, slotOf: parsed.map((e) => (e ? n++ : undefined)) };
}

/**
 * Optimizer k of a link. A bad option is dropped alone (its default is
 * used) and reported in `errors`; so is one the library refuses in
 * combination (its field error names it). Only an unknown name or a
 * malformed item drops the optimizer (undefined).
 */
export function parseOptimizer(text: string, k: number, errors: string[], key = "o"): OptimizerEntry | undefined {
  const field = `${key}[${k}]`;
  let parsed: ReturnType<typeof splitKv>;
  try {
    parsed = splitKv(field, text);
  } catch (err) {
    errors.push((err as Error).message);
    return undefined;
  }
  const { name, params } = parsed;
  if (!(optimizerNames as readonly string[]).includes(name)) {
    errors.push(`${field}: unknown optimizer ${JSON.stringify(name)}`);
    return undefined;
  }
  const oname = name as OptimizerName;
  const defaults = optionDefaults(oname);
  const options: Options = {};
  for (const [key, v] of params) {
    try {
      if (!(key in defaults)) throw new Error(`${field}: ${name} has no option ${JSON.stringify(key)}`);
      options[key] = parseOption(`${field}.${key}`, oname, key, defaults[key], v);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  const e: OptimizerEntry = { name: oname, options };
  // Each refused option goes (the library names it), until the rest is accepted.
  for (;;) {
    try {
      checkOptimizer(e);
      return e;
    } catch (err) {
      const bad = String((err as { field?: unknown }).field ?? "").split(/[.[]/)[0];
      errors.push(`${field}.${(err as Error).message}`);
      if (bad in e.options) delete e.options[bad];
      else {
        e.options = {};
        checkOptimizer(e); // the defaults always pass
        return e;
      }
    }
  }
}

function parseSchedulerOptions(field: string, name: SchedulerName, params: [string, string][]): Record<string, SchedulerValue> {
  const allowed = schedulerFields(name);
  const options: Record<string, SchedulerValue> = {};
  for (const [key, v] of params) {
    const f = `${field}.${key}`;
    if (!allowed.includes(key)) throw new Error(`${field}: ${name} has no option ${JSON.stringify(key)}`);
    const kind = schedulerOptionKind(name, key);
    if (kind === "number") options[key] = parseNumber(f, v);
    else if (kind === "integer") options[key] = integer(f, v, 0, 1e9);
    else if (kind === "list") options[key] = v === "" ? [] : v.split("/").map((x, i) => integer(`${f}[${i}]`, x, 0, 1e9));
    else if (kind === "boolean") {
      if (v !== "true" && v !== "false") throw new Error(`${f}: must be true or false; got ${JSON.stringify(v)}`);
      options[key] = v === "true";
    } else if (Array.isArray(kind)) options[key] = oneOf(f, v, kind as readonly string[]);
    else throw new Error(`${f}: stages are written as schedulers=a;…+b;…`);
  }
  return options;
}

export function parseScheduler(text: string, k: number, key = "s"): SchedulerEntry | undefined {
  const field = `${key}[${k}]`;
  if (text === "-") return undefined;
  const { name, params } = splitKv(field, text);
  const sched = oneOf(`${field}.name`, name, schedulerNames);
  if (!hasStages(sched)) return { name: sched, options: parseSchedulerOptions(field, sched, params) };
  const kids = params.find(([key]) => key === "schedulers");
  if (!kids) throw new Error(`${field}: ${sched} needs schedulers=a;…+b;…`);
  const children = kids[1].split("+").map((c, i) => {
    const cf = `${field}.schedulers[${i}]`;
    const { name: cname, params: cparams } = splitKv(cf, c, ";");
    const child = oneOf(`${cf}.name`, cname, CHILD_SCHEDULERS);
    return { name: child, options: parseSchedulerOptions(cf, child, cparams) };
  });
  return {
    name: sched,
    options: parseSchedulerOptions(
      field,
      sched,
      params.filter(([key]) => key !== "schedulers"),
    ),
    children,
  };
}

export function oneOf<T extends string>(field: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`${field}: must be one of ${allowed.join(", ")}; got ${JSON.stringify(v)}`);
  return v as T;
}

export function integer(field: string, v: string, lo: number, hi: number): number {
  if (!/^\d{1,9}$/.test(v)) throw new Error(`${field}: must be an integer ${lo}…${hi}; got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < lo || n > hi) throw new Error(`${field}: must be an integer ${lo}…${hi}; got ${n}`);
  return n;
}

/**
 * A state from a hash (with or without '#'). Unknown keys and bad fields are
 * reported in `errors` and replaced by the defaults; never throws.
 */
export function parseState(hash: string): { state: LabState; errors: string[] } {
  const s = defaultState();
  const errors: string[] = [];
  const text = hash.replace(/^#/, "");
  if (text === "") return { state: s, errors };
  const fields = new Map<string, string>();
  for (const part of text.split("&")) {
    if (part === "") continue;
    const i = part.indexOf("=");
    const key = i < 0 ? part : part.slice(0, i);
    let value = i < 0 ? "" : part.slice(i + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      errors.push(`${key}: badly escaped`);
      continue;
    }
    if (!["f", "expr", "m", "dom", "x0", "steps", "tol", "patience", "dtype", "backend", "o", "s", "view", "t", "sweep", ...NETS_KEYS].includes(key)) {
      errors.push(`unknown field ${JSON.stringify(key.slice(0, 40))}`);
      continue;
    }
    if (fields.has(key)) {
      errors.push(`${key}: given twice`);
      continue;
    }
    fields.set(key, value);
  }
  const attempt = (key: string, fn: (v: string) => void) => {
    const v = fields.get(key);
    if (v === undefined) return;
    try {
      fn(v);
    } catch (err) {
      errors.push((err as Error).message);
    }
  };
  if (fields.has("expr")) {
    if (fields.has("f")) errors.push("f: not used (the link's function is the formula in expr)");
    fields.delete("f");
  } else {
    for (const k of ["m", "dom"]) if (fields.has(k)) errors.push(`${k}: belongs to a formula (expr), and the link has none`);
  }
  attempt("f", (v) => {
    s.fn = parseFunction(v);
    if (!fields.has("x0")) {
      const st = createFunction(functionSpec(s), 2).start;
      s.x0 = [st[0], st[1]];
    }
  });
  attempt("expr", (v) => {
    const formula: LabFormula = { expr: v, minima: [] };
    // A bad minima or window field is dropped alone; a bad formula drops all three.
    const fault = formulaFault(formula);
    if (fault) throw new Error(fault.message.startsWith("expr: ") ? fault.message : `expr: ${fault.message}`);
    for (const [k, parse] of [
      ["m", (t: string) => (formula.minima = parseMinima(t))],
      ["dom", (t: string) => (formula.domain = parseDomain(t))],
    ] as const) {
      const t = fields.get(k);
      if (t === undefined) continue;
      const keep = { ...formula };
      try {
        parse(t);
        const bad = formulaFault(formula);
        if (bad) throw new Error(`${k}: ${bad.message}`);
      } catch (err) {
        Object.assign(formula, keep);
        errors.push((err as Error).message);
      }
    }
    s.fn = { name: "expr", params: {}, formula };
    if (!fields.has("x0")) {
      const st = createFunction(functionSpec(s), 2).start;
      s.x0 = [st[0], st[1]];
    }
  });
  attempt("x0", (v) => {
    const p = v.split(",");
    if (p.length !== 2) throw new Error(`x0: must be two numbers x,y; got ${JSON.stringify(v)}`);
    const x: [number, number] = [parseNumber("x0[0]", p[0]), parseNumber("x0[1]", p[1])];
    if (Math.abs(x[0]) > 1e6 || Math.abs(x[1]) > 1e6) throw new Error("x0: must be within ±1e6");
    s.x0 = x;
  });
  attempt("steps", (v) => (s.steps = integer("steps", v, 1, MAX_STEPS)));
  attempt("tol", (v) => {
    const tol = parseNumber("tol", v);
    if (tol < 0) throw new Error(`tol: must be ≥ 0; got ${tol}`);
    s.tol = tol;
  });
  attempt("patience", (v) => {
    if (!fields.has("tol")) throw new Error("patience: needs tol");
    s.patience = integer("patience", v, 1, MAX_STEPS);
  });
  attempt("dtype", (v) => (s.dtype = oneOf("dtype", v, ["f32", "f64"] as const)));
  attempt("backend", (v) => (s.backend = oneOf("backend", v, ["wasm", "js"] as const)));
  attempt("view", (v) => (s.view = oneOf("view", v, ["contour", "surface"] as const)));
  // Where optimizer k of the link ended up in the state (undefined: dropped), so `s` stays aligned.
  let slotOf: (number | undefined)[] | undefined;
  attempt("o", (v) => {
    const list = parseOptimizerList(v, "o", MAX_OPTIMIZERS, errors, "the default race is used");
    slotOf = list.slotOf;
    s.optimizers = list.kept;
  });
  attempt("s", (v) => {
    const list = v.split(",");
    const slots = slotOf ?? s.optimizers.map((_o, k) => k);
    if (list.length !== slots.length) throw new Error(`s: must list one scheduler (or -) per optimizer, ${slots.length}; got ${list.length}`);
    // Each scheduler is checked with its optimizer, function and steps; a refused one is dropped alone.
    list.forEach((text, k) => {
      let sc: SchedulerEntry | undefined;
      try {
        sc = parseScheduler(text, k);
      } catch (err) {
        errors.push((err as Error).message);
        return;
      }
      const slot = slots[k];
      if (!sc || slot === undefined) return;
      const prev = s.optimizers[slot].scheduler;
      s.optimizers[slot].scheduler = sc;
      try {
        checkRun(s, slot);
      } catch (err) {
        s.optimizers[slot].scheduler = prev;
        errors.push(`s[${k}].${(err as Error).message}`);
      }
    });
  });
  attempt("t", (v) => {
    const t = integer("t", v, 0, MAX_STEPS);
    if (t > s.steps) throw new Error(`t: step ${t} is after the last step (${s.steps})`);
    s.frame = t;
  });
  attempt("sweep", (v) => {
    const p = v.split(":");
    if (p.length < 3 || p.length > 6) throw new Error(`sweep: must be target:y:n[:metric[:kind[:eps]]]; got ${JSON.stringify(v)}`);
    const target = integer("sweep.target", p[0], 0, s.optimizers.length - 1);
    const y = oneOf("sweep.y", p[1], SWEEP_YS);
    const n = integer("sweep.n", p[2], SWEEP_SIZES[0], SWEEP_SIZES[SWEEP_SIZES.length - 1]);
    if (!(SWEEP_SIZES as readonly number[]).includes(n)) throw new Error(`sweep.n: must be one of ${SWEEP_SIZES.join(", ")}`);
    const metric = p.length > 3 ? oneOf("sweep.metric", p[3], ["loss", "steps"] as const) : "loss";
    const kind = p.length > 4 ? oneOf("sweep.kind", p[4], ["hyper", "basins"] as const) : "hyper";
    const eps = p.length > 5 ? parseNumber("sweep.eps", p[5]) : 1e-4;
    if (!(SWEEP_EPS as readonly number[]).includes(eps)) throw new Error(`sweep.eps: must be one of ${SWEEP_EPS.join(", ")}`);
    s.sweep = { target, y, n, metric, kind, eps };
  });
  s.sweep.target = Math.min(s.sweep.target, s.optimizers.length - 1);
  const ys = sweepYs(s.optimizers[s.sweep.target].name);
  if (ys.length > 0 && !ys.includes(s.sweep.y)) s.sweep.y = ys[0];
  parseNetsFields(fields, s, errors);
  return { state: s, errors };
}
