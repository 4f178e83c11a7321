/**
 * The form controls of one optimizer: its name, every option of its schema
 * (main ones shown, the rest under "More options") and its learning-rate
 * scheduler with every scheduler option (sequentialLR and chainedScheduler as
 * lists of stages). Controls come from the option schemas (ranges, choices,
 * tuple lengths), not from lists kept here.
 *
 * Nothing here changes the lab's state directly: each edit builds the next
 * entry, asks `hooks.check` (the library's own validation of the whole run)
 * and only then hands it to `hooks.commit`; a refused edit shows the
 * library's message under the optimizer and keeps the last good entry.
 */
import { optimizerNames, schedulerDefaults, schedulerNames, type OptimizerName, type SchedulerName } from "optimlab";
import { trajectoryColor } from "optimlab/plot";
import { fill } from "./dom.js";
import {
  CHILD_SCHEDULERS,
  inSchemaOrder,
  labLr,
  newScheduler,
  optionDefaults,
  optionKind,
  hasStages,
  schedulerFields,
  schedulerOptionKind,
  schedulerOptionOptional,
  schedulerValue,
  type OptimizerEntry,
  type OptionValue,
  type SchedulerEntry,
  type SchedulerValue,
} from "./state.js";

export interface EditorHooks {
  /** Start of every control's id (default "o": o0-lr, o0-sched, …); another list on the page takes its own. */
  idPrefix?: string;
  /** How many optimizers the race has (Remove is disabled for the last one). */
  count: number;
  /** Steps of the race (sizes a newly picked scheduler). */
  steps: number;
  /** Throws the library's error when the entry cannot run. */
  check(next: OptimizerEntry): void;
  commit(next: OptimizerEntry): void;
  /** Another optimizer picked: the caller rebuilds the form. */
  rename(name: OptimizerName): void;
  remove(): void;
}

/** Marks a control as holding a refused value (styled and announced), or clears the mark. */
export function markInvalid(el: Element, bad: boolean): void {
  if (bad) el.setAttribute("aria-invalid", "true");
  else el.removeAttribute("aria-invalid");
}

export function numberInput(
  id: string,
  value: number | undefined,
  onChange: (v: number | undefined) => void,
  attrs: Record<string, string> = {},
  /** Told when the text is not a finite number (the input is marked invalid and nothing changes). */
  onInvalid?: () => void,
): HTMLInputElement {
  const i = document.createElement("input");
  i.type = "number";
  i.step = "any";
  i.id = id;
  i.value = value === undefined ? "" : String(value);
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  i.addEventListener("change", () => {
    if (i.value.trim() === "" && attrs.placeholder !== undefined) {
      markInvalid(i, false);
      onChange(undefined);
      return;
    }
    const v = i.valueAsNumber;
    markInvalid(i, !Number.isFinite(v));
    if (!Number.isFinite(v)) {
      onInvalid?.();
      return;
    }
    onChange(v);
  });
  return i;
}

export function labelled(text: string, control: HTMLElement, cls = ""): HTMLLabelElement {
  const l = document.createElement("label");
  if (cls) l.className = cls;
  l.append(text + " ", control);
  return l;
}

function select(id: string, values: readonly string[], current: string, labels: Record<string, string> = {}): HTMLSelectElement {
  const s = document.createElement("select");
  s.id = id;
  for (const v of values) s.add(new Option(labels[v] ?? v, v, v === current, v === current));
  return s;
}

function button(text: string, onClick: () => void, aria?: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (aria) b.setAttribute("aria-label", aria);
  b.addEventListener("click", onClick);
  return b;
}

/** Main options shown directly; the rest go under "More options". */
const MAIN_OPTIONS = new Set(["lr", "momentum", "betas", "alpha", "rho"]);

export function optimizerEditor(entry: OptimizerEntry, k: number, hooks: EditorHooks): HTMLLIElement {
  let e = entry;
  const base = `${hooks.idPrefix ?? "o"}${k}`;
  const li = document.createElement("li");
  li.className = "optimizer";
  li.style.setProperty("--c", trajectoryColor(k));
  const head = document.createElement("div");
  head.className = "opt-head";
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.setAttribute("aria-hidden", "true");
  const name = select(`${base}-name`, optimizerNames, e.name);
  name.addEventListener("change", () => hooks.rename(name.value as OptimizerName));
  const rm = button("Remove", hooks.remove, `Remove optimizer ${k + 1} (${e.name})`);
  rm.disabled = hooks.count <= 1;
  head.append(swatch, labelled(`Optimizer ${k + 1}`, name, "opt-name"), rm);
  li.append(head);

  const err = document.createElement("p");
  err.className = "error";
  err.id = `${base}-error`;
  err.setAttribute("role", "alert");

  const notNumber = (field: string) => (err.textContent = `${field}: must be a finite number; the last good value is still used`);

  /** Validates and commits, or shows why not. */
  const apply = (next: OptimizerEntry): boolean => {
    try {
      hooks.check(next);
    } catch (ex) {
      err.textContent = (ex as Error).message;
      return false;
    }
    err.textContent = "";
    e = next;
    hooks.commit(next);
    return true;
  };

  const defaults = optionDefaults(e.name);
  const main = document.createElement("div");
  main.className = "params";
  const more = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "More options";
  const moreBox = document.createElement("div");
  moreBox.className = "params";
  more.append(summary, moreBox);

  /** Applies one option; a refused value stays in its control, marked invalid, beside the library's message. */
  const setOption = (key: string, v: OptionValue, control: HTMLElement) => {
    const options = { ...e.options };
    const d = defaults[key];
    const same = Array.isArray(d) && Array.isArray(v) ? d.length === v.length && d.every((x, i) => x === v[i]) : d === v;
    if (same && key !== "lr") delete options[key];
    else options[key] = v;
    markInvalid(control, !apply({ ...e, options: inSchemaOrder(e.name, options) }));
  };

  // One control per option, chosen by the option's schema kind.
  for (const [key, d] of Object.entries(defaults)) {
    const kind = optionKind(e.name, key);
    if (!kind) continue;
    const cur = key in e.options ? e.options[key] : d;
    const target = MAIN_OPTIONS.has(key) ? main : moreBox;
    const id = `${base}-${key}`;
    if (kind.type === "number") {
      // A nullable option left empty is null (its "none": beta3 from β2, no clipping, unbounded growth).
      const attrs: Record<string, string> = kind.nullable ? { placeholder: "none" } : {};
      if (kind.min !== undefined && Number.isFinite(kind.min)) attrs.min = String(kind.min);
      if (kind.integer) attrs.step = "1";
      const input: HTMLInputElement = numberInput(
        id,
        cur === null ? undefined : (cur as number),
        (v) => {
          if (v !== undefined) setOption(key, v, input);
          else if (kind.nullable) setOption(key, null, input);
        },
        attrs,
        () => notNumber(key),
      );
      target.append(labelled(key, input));
    } else if (kind.type === "boolean") {
      const c = document.createElement("input");
      c.type = "checkbox";
      c.id = id;
      c.checked = cur as boolean;
      c.addEventListener("change", () => setOption(key, c.checked, c));
      target.append(labelled(key, c, "check"));
    } else if (kind.type === "numbers" && kind.length !== undefined) {
      const labels = kind.labels ?? Array.from({ length: kind.length }, (_, i) => `${key}[${i}]`);
      labels.forEach((label, i) => {
        const attrs: Record<string, string> = {};
        if (kind.each.min !== undefined && Number.isFinite(kind.each.min)) attrs.min = String(kind.each.min);
        const input: HTMLInputElement = numberInput(
          `${id}-${i}`,
          (cur as number[])[i],
          (v) => {
            if (v === undefined) return;
            // The other elements from the entry as last accepted, not from an earlier refused edit.
            const tuple = [...((e.options[key] ?? d) as number[])];
            tuple[i] = v;
            setOption(key, tuple, input);
          },
          attrs,
          () => notNumber(`${key}[${i}]`),
        );
        target.append(labelled(greek(label), input));
      });
    } else if (kind.type === "choice") {
      const values = kind.nullable ? [NONE, ...kind.values] : [...kind.values];
      const sel = select(id, values, cur === null ? NONE : (cur as string), kind.nullable ? { [NONE]: "none" } : {});
      sel.addEventListener("change", () => setOption(key, sel.value === NONE ? null : sel.value, sel));
      target.append(labelled(key, sel));
    }
  }
  li.append(main);
  if (moreBox.childElementCount > 0) li.append(more);

  const sched = document.createElement("div");
  sched.className = "sched";
  // Structural changes (another scheduler, a stage added or removed) redraw
  // the controls; a field edit does not, so focus and typing are never lost.
  const drawScheduler = () =>
    fill(
      sched,
      schedulerControls(
        () => e,
        k,
        base,
        hooks.steps,
        (s, redraw) => {
          const ok = apply({ ...e, scheduler: s });
          if (redraw) drawScheduler();
          return ok;
        },
      ),
    );
  drawScheduler();
  li.append(sched, err);
  return li;
}

const NONE = "none";

/** Tuple labels as people write them: beta1 → β1, etaMinus → η−. */
function greek(label: string): string {
  return label.replace(/^beta/, "β").replace(/^eta(Minus|Plus)$/, (_m, s: string) => (s === "Minus" ? "η−" : "η+"));
}

/**
 * The scheduler select and, when one is picked, its option fields. `set`
 * applies a whole new scheduler (undefined: none), redrawing the controls
 * when `redraw`, and says whether the library accepted it. Field callbacks
 * read the entry through `get`, so edits made since the last draw are kept.
 */
function schedulerControls(
  get: () => OptimizerEntry,
  k: number,
  base: string,
  steps: number,
  set: (s: SchedulerEntry | undefined, redraw: boolean) => boolean,
): HTMLElement[] {
  const e = get();
  const cur = e.scheduler;
  const lr = typeof e.options.lr === "number" ? e.options.lr : labLr(e.name);
  const focus = (id: string) => document.getElementById(id)?.focus();
  const pick = select(`${base}-sched`, [NONE, ...schedulerNames], cur?.name ?? NONE, { [NONE]: "none (constant lr)" });
  pick.addEventListener("change", () => {
    if (!set(pick.value === NONE ? undefined : newScheduler(pick.value as SchedulerName, steps, lr, e.name), true)) pick.value = get().scheduler?.name ?? NONE;
    focus(`${base}-sched`);
  });
  const out: HTMLElement[] = [labelled("Scheduler", pick, "row")];
  if (!cur) return out;

  const sched = () => get().scheduler!;
  // Stage titles show where each stage starts; only sequentialLR has them.
  let showStageStarts = () => {};
  const box = document.createElement("div");
  box.className = "params";
  fill(
    box,
    fieldsOf(sched, `${base}-s`, (next) => {
      const ok = set(next, false);
      if (ok) showStageStarts();
      return ok;
    }),
  );
  out.push(box);
  if (!hasStages(cur.name)) return out;

  // Stages: sequentialLR runs stage i from milestones[i − 1] (or 0) on; chainedScheduler applies every one at every step, in order.
  const sequential = cur.name === "sequentialLR";
  const children = cur.children ?? [];
  const milestones = () => (sched().options.milestones as number[] | undefined) ?? [];
  const starts: HTMLSpanElement[] = [];
  showStageStarts = () =>
    starts.forEach((sp, i) => {
      if (!sequential) {
        sp.textContent = `Scheduler ${i + 1}${i ? ", applied after the ones above" : ""}`;
        return;
      }
      const from = i === 0 ? 0 : milestones()[i - 1];
      // A stage that starts after the last step never runs: say so rather than let it look active.
      sp.textContent = `Stage ${i + 1}, from step ${from ?? "?"}${from !== undefined && from >= steps ? ` (after the last step, ${steps}: never runs)` : ""}`;
    });
  const withChildren = (kids: SchedulerEntry[], ms = milestones()): SchedulerEntry =>
    sequential ? { ...sched(), options: { ...sched().options, milestones: ms }, children: kids } : { ...sched(), children: kids };
  const list = document.createElement("ol");
  list.className = "stages";
  children.forEach((child, i) => {
    const item = document.createElement("li");
    const childPick = select(`${base}-s${i}-name`, CHILD_SCHEDULERS, child.name);
    childPick.addEventListener("change", () => {
      const kids = (sched().children ?? []).slice();
      // Sized to its stage: from its milestone to the next one (or the race's end); a chained one spans the race.
      const from = sequential && i > 0 ? (milestones()[i - 1] ?? 0) : 0;
      const to = sequential ? Math.min(steps, milestones()[i] ?? steps) : steps;
      kids[i] = newScheduler(childPick.value as SchedulerName, Math.max(1, to - from), lr, e.name);
      if (!set(withChildren(kids), true)) childPick.value = sched().children?.[i]?.name ?? child.name;
      focus(`${base}-s${i}-name`);
    });
    const rm = button(
      "Remove stage",
      () => {
        const kids = (sched().children ?? []).filter((_, j) => j !== i);
        const ms = milestones().filter((_, j) => j !== Math.max(0, i - 1));
        set(withChildren(kids, ms), true);
        focus(`${base}-sched`);
      },
      `Remove stage ${i + 1} of optimizer ${k + 1}'s ${cur.name}`,
    );
    rm.disabled = children.length <= 1;
    const fields = document.createElement("div");
    fields.className = "params";
    fill(
      fields,
      fieldsOf(
        () => sched().children![i],
        `${base}-s${i}`,
        (next) => {
          const kids = (sched().children ?? []).slice();
          kids[i] = next;
          return set(withChildren(kids), false);
        },
      ),
    );
    const start = document.createElement("span");
    starts.push(start);
    const label = labelled("", childPick, "opt-name");
    label.prepend(start);
    const row = document.createElement("div");
    row.className = "opt-head";
    row.append(label, rm);
    item.append(row, fields);
    list.append(item);
  });
  showStageStarts();
  const add = button("Add stage", () => {
    const ms = milestones();
    const last = ms.length ? ms[ms.length - 1] : 0;
    const at = Math.min(Math.max(last + 1, Math.round(last + (steps - last) / 2)), Math.max(last + 1, steps));
    set(withChildren([...(sched().children ?? []), { name: "exponentialLR", options: { gamma: 0.99 } }], [...ms, at]), true);
    focus(`${base}-s${children.length}-name`);
  });
  out.push(list, add);
  return out;
}

/** One control per option of a scheduler; optional ones may be left empty (the library's default). */
function fieldsOf(get: () => SchedulerEntry, prefix: string, set: (next: SchedulerEntry) => boolean): HTMLElement[] {
  const s = get();
  /** Applies one option; a refused value stays in its control, marked invalid, beside the library's message. */
  const update = (key: string, v: SchedulerValue | undefined, control: HTMLElement) => {
    const cur = get();
    const options = { ...cur.options };
    if (v === undefined) delete options[key];
    else options[key] = v;
    markInvalid(control, !set({ ...cur, options }));
  };
  return schedulerFields(s.name).map((key) => {
    const kind = schedulerOptionKind(s.name, key);
    const v = schedulerValue(s, key);
    const id = `${prefix}-${key}`;
    if (kind === "boolean") {
      const c = document.createElement("input");
      c.type = "checkbox";
      c.id = id;
      c.checked = v === true;
      c.addEventListener("change", () => update(key, c.checked, c));
      return labelled(key, c, "check");
    }
    if (Array.isArray(kind)) {
      const sel = select(id, kind, String(v));
      sel.addEventListener("change", () => update(key, sel.value, sel));
      return labelled(key, sel);
    }
    if (kind === "list") {
      const i = document.createElement("input");
      i.type = "text";
      i.id = id;
      i.inputMode = "numeric";
      i.value = Array.isArray(v) ? v.join(", ") : "";
      i.placeholder = "e.g. 50, 100";
      i.addEventListener("change", () => {
        const parts = i.value.split(/[\s,]+/).filter((x) => x !== "");
        if (!parts.every((x) => /^\d{1,9}$/.test(x))) {
          markInvalid(i, true);
          return;
        }
        update(key, parts.map(Number), i);
      });
      return labelled(`${key} (steps)`, i);
    }
    // oneCycleLR takes totalSteps or epochs × stepsPerEpoch: neither is required on its own.
    const alternative = schedulerOptionOptional(s.name, key);
    const attrs: Record<string, string> = {
      placeholder: key in schedulerDefaults[s.name] ? "default" : alternative ? (key === "totalSteps" ? "or epochs × steps" : "or totalSteps") : "required",
    };
    if (kind === "integer") attrs.step = "1";
    const input = numberInput(
      id,
      typeof v === "number" ? v : undefined,
      (nv) => update(key, nv, input),
      attrs,
      () => {
        const err = input.closest(".optimizer")?.querySelector(".error");
        if (err) err.textContent = `${key}: must be a finite number or empty (the default); the last good value is still used`;
      },
    );
    return labelled(key, input);
  });
}
