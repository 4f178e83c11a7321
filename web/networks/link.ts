/**
 * The Networks view's part of the link (web/link.ts encodes and decodes every
 * field once; this module only builds and reads the values):
 *
 *   page=nets&nd=moons:n=400:noise=0.1:seed=1:test=0.25&nh=16-16&na=tanh
 *   &nb=32&ne=200&nseed=0&nt=f32&nspeed=1&no=adam:lr=0.1,sgd:lr=3&ns=-,stepLR:stepSize=100
 *
 * `nd` the data set (`factor` for circles, `classes` for gaussians), `nh`
 * the hidden widths joined by `-` (empty: a linear model), `na` the
 * activation, `nb` the batch size, `ne` the epochs, `nseed` the seed of the
 * weights and the shuffling, `nt` the precision, `nspeed` mini-batches per
 * redraw, `no` the optimizers and `ns` their schedulers (the race's `o` and
 * `s` syntax). They are written when the page is the Networks view or they
 * differ from its defaults. A bad field is dropped alone, reported, and its
 * default used; the library validates every value.
 */
import { activationNames, datasetNames } from "optimlab";
import { integer, kv, oneOf, parseOptimizerList, parseScheduler, schedulerText, splitKv } from "../link.js";
import { parseNumber, type LabState } from "../state.js";
import {
  checkNets,
  checkProblem,
  defaultNets,
  NETS_MAX_EPOCHS,
  NETS_MAX_HIDDEN,
  NETS_MAX_OPTIMIZERS,
  NETS_SPEEDS,
  type NetsData,
  type NetsState,
} from "./state.js";

export const NETS_KEYS = ["page", "nd", "nh", "na", "nb", "ne", "nseed", "nt", "nspeed", "no", "ns"] as const;

function dataText(d: NetsData): string {
  const p: Record<string, number> = { n: d.n, noise: d.noise, seed: d.seed, test: d.testFraction };
  if (d.name === "circles" && d.factor !== undefined) p.factor = d.factor;
  if (d.name === "gaussians" && d.classes !== undefined) p.classes = d.classes;
  return kv(d.name, p);
}

function fieldsOf(n: NetsState): [string, string][] {
  const parts: [string, string][] = [
    ["nd", dataText(n.data)],
    ["nh", n.hidden.join("-")],
    ["na", n.activation],
    ["nb", String(n.batchSize)],
    ["ne", String(n.epochs)],
    ["nseed", String(n.seed)],
    ["nt", n.dtype],
    ["nspeed", String(n.speed)],
    ["no", n.optimizers.map((o) => kv(o.name, o.options)).join(",")],
  ];
  if (n.optimizers.some((o) => o.scheduler)) parts.push(["ns", n.optimizers.map((o) => schedulerText(o.scheduler)).join(",")]);
  return parts;
}

/** The link's fields of the Networks view (none when it is not shown and holds its defaults). */
export function netsParts(s: LabState): [string, string][] {
  const parts = fieldsOf(s.nets);
  if (s.page !== "nets" && JSON.stringify(parts) === JSON.stringify(fieldsOf(defaultNets()))) return [];
  return s.page === "nets" ? [["page", "nets"], ...parts] : parts;
}

/** A seed: a whole number 0 … 2³² − 1 (the library's seeds). */
function seedOf(field: string, v: string): number {
  const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!(n <= 0xffffffff)) throw new Error(`${field}: must be an integer 0…4294967295; got ${JSON.stringify(v)}`);
  return n;
}

function parseData(v: string): NetsData {
  const { name, params } = splitKv("nd", v);
  const d: NetsData = { ...defaultNets().data, name: oneOf("nd.name", name, datasetNames) };
  for (const [k, t] of params) {
    if (k === "n") d.n = integer("nd.n", t, 1, 1e6);
    else if (k === "noise") d.noise = parseNumber("nd.noise", t);
    else if (k === "seed") d.seed = seedOf("nd.seed", t);
    else if (k === "test") d.testFraction = parseNumber("nd.test", t);
    else if (k === "factor" && d.name === "circles") d.factor = parseNumber("nd.factor", t);
    else if (k === "classes" && d.name === "gaussians") d.classes = integer("nd.classes", t, 1, 64);
    else throw new Error(`nd: ${d.name} has no parameter ${JSON.stringify(k)}`);
  }
  return d;
}

/** Reads the Networks view's fields of a link into `s.nets` (and `s.page`); every problem goes to `errors`. */
export function parseNetsFields(fields: ReadonlyMap<string, string>, s: LabState, errors: string[]): void {
  const n = s.nets;
  const attempt = (key: string, fn: (v: string) => void) => {
    const v = fields.get(key);
    if (v === undefined) return;
    try {
      fn(v);
    } catch (err) {
      errors.push((err as Error).message);
    }
  };
  /** A problem field is taken only when the library accepts the data and model with it. */
  const problem = (key: string, fn: (v: string) => void) =>
    attempt(key, (v) => {
      const keep = structuredClone(n);
      fn(v);
      try {
        checkProblem(n);
      } catch (err) {
        Object.assign(n, keep);
        throw new Error(`${key}: ${(err as Error).message}`);
      }
    });
  attempt("page", (v) => (s.page = oneOf("page", v, ["race", "nets"] as const)));
  problem("nd", (v) => (n.data = parseData(v)));
  problem("nh", (v) => {
    const widths = v === "" ? [] : v.split("-").map((w, i) => integer(`nh[${i}]`, w, 1, 1e6));
    if (widths.length > NETS_MAX_HIDDEN) throw new Error(`nh: at most ${NETS_MAX_HIDDEN} hidden layers`);
    n.hidden = widths;
  });
  attempt("na", (v) => (n.activation = oneOf("na", v, activationNames)));
  attempt("nb", (v) => (n.batchSize = integer("nb", v, 1, 1_048_576)));
  problem("ne", (v) => (n.epochs = integer("ne", v, 1, NETS_MAX_EPOCHS)));
  attempt("nseed", (v) => (n.seed = seedOf("nseed", v)));
  attempt("nt", (v) => (n.dtype = oneOf("nt", v, ["f32", "f64"] as const)));
  attempt("nspeed", (v) => {
    const sp = integer("nspeed", v, 1, 1000);
    if (!(NETS_SPEEDS as readonly number[]).includes(sp)) throw new Error(`nspeed: must be one of ${NETS_SPEEDS.join(", ")}`);
    n.speed = sp;
  });
  let slotOf: (number | undefined)[] | undefined;
  /** The link's index of each optimizer kept (errors name the link's items). */
  let linkIndex = n.optimizers.map((_o, k) => k);
  attempt("no", (v) => {
    const list = parseOptimizerList(v, "no", NETS_MAX_OPTIMIZERS, errors, "the default ones are used");
    slotOf = list.slotOf;
    linkIndex = list.slotOf.flatMap((slot, k) => (slot === undefined ? [] : [k]));
    n.optimizers = list.kept;
  });
  attempt("ns", (v) => {
    const list = v.split(",");
    const slots = slotOf ?? n.optimizers.map((_o, k) => k);
    if (list.length !== slots.length) throw new Error(`ns: must list one scheduler (or -) per optimizer, ${slots.length}; got ${list.length}`);
    list.forEach((text, k) => {
      const slot = slots[k];
      try {
        const sc = parseScheduler(text, k, "ns");
        if (!sc || slot === undefined) return;
        n.optimizers[slot].scheduler = sc;
      } catch (err) {
        errors.push((err as Error).message);
      }
    });
  });
  // The whole training of each optimizer, as the library checks it (a scheduler's step limit, options in
  // combination…): each refusal is reported, then the scheduler goes, then the options (the defaults run).
  n.optimizers.forEach((o, k) => {
    const fixes = [() => (o.scheduler ? (delete o.scheduler, true) : false), () => (Object.keys(o.options).length ? ((o.options = {}), true) : false)];
    for (;;) {
      try {
        checkNets(n, k);
        return;
      } catch (err) {
        errors.push(`no[${linkIndex[k]}]: ${(err as Error).message}`);
        const fix = fixes.find((f) => f());
        if (!fix) return;
      }
    }
  });
}
