/**
 * The form controls of one optimizer: its name, every option of its schema
 * (main ones shown, the rest under "More options") and its learning-rate
 * scheduler with every scheduler option (sequentialLR as a list of stages).
 *
 * Nothing here changes the lab's state directly: each edit builds the next
 * entry, asks `hooks.check` (the library's own validation of the whole run)
 * and only then hands it to `hooks.commit`; a refused edit shows the
 * library's message under the optimizer and keeps the last good entry.
 */
import { optimizerNames, schedulerDefaults, schedulerNames, type OptimizerName, type SchedulerName } from "optimlab";
import { trajectoryColor } from "optimlab/plot";
import {
  allowedStrings,
  CHILD_SCHEDULERS,
  LAB_LR,
  newScheduler,
  optionDefaults,
  SCHEDULER_OPTION_KIND,
  schedulerFields,
  schedulerValue,
  type OptimizerEntry,
  type OptionValue,
  type SchedulerEntry,
  type SchedulerValue,
} from "./state.js";

export interface EditorHooks {
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

export function numberInput(
  id: string,
  value: number | undefined,
  onChange: (v: number | undefined) => void,
  attrs: Record<string, string> = {},
): HTMLInputElement {
  const i = document.createElement("input");
  i.type = "number";
  i.step = "any";
  i.id = id;
  i.value = value === undefined ? "" : String(value);
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  i.addEventListener("change", () => {
    if (i.value.trim() === "" && attrs.placeholder !== undefined) {
      i.removeAttribute("aria-invalid");
      onChange(undefined);
      return;
    }
    const v = i.valueAsNumber;
    if (!Number.isFinite(v)) {
      i.setAttribute("aria-invalid", "true");
      return;
    }
    i.removeAttribute("aria-invalid");
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
  s.append(...values.map((v) => new Option(labels[v] ?? v, v, v === current, v === current)));
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
  const li = document.createElement("li");
  li.className = "optimizer";
  li.style.setProperty("--c", trajectoryColor(k));
  const head = document.createElement("div");
  head.className = "opt-head";
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.setAttribute("aria-hidden", "true");
  const name = select(`o${k}-name`, optimizerNames, e.name);
  name.addEventListener("change", () => hooks.rename(name.value as OptimizerName));
  const rm = button("Remove", hooks.remove, `Remove optimizer ${k + 1} (${e.name})`);
  rm.disabled = hooks.count <= 1;
  head.append(swatch, labelled(`Optimizer ${k + 1}`, name, "opt-name"), rm);
  li.append(head);

  const err = document.createElement("p");
  err.className = "error";
  err.id = `o${k}-error`;
  err.setAttribute("role", "alert");

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

  const setOption = (key: string, v: OptionValue) => {
    const options = { ...e.options };
    const d = defaults[key];
    const same = Array.isArray(d) && Array.isArray(v) ? d[0] === v[0] && d[1] === v[1] : d === v;
    if (same && key !== "lr") delete options[key];
    else options[key] = v;
    // Schema order keeps the link canonical.
    apply({ ...e, options: Object.fromEntries(Object.keys(defaults).filter((x) => x in options).map((x) => [x, options[x]])) });
  };

  for (const [key, d] of Object.entries(defaults)) {
    const cur = key in e.options ? e.options[key] : d;
    const target = MAIN_OPTIONS.has(key) ? main : moreBox;
    const id = `o${k}-${key}`;
    if (typeof d === "number") {
      target.append(labelled(key, numberInput(id, cur as number, (v) => v !== undefined && setOption(key, v), key === "lr" ? { min: "0" } : {})));
    } else if (typeof d === "boolean") {
      const c = document.createElement("input");
      c.type = "checkbox";
      c.id = id;
      c.checked = cur as boolean;
      c.addEventListener("change", () => setOption(key, c.checked));
      target.append(labelled(key, c, "check"));
    } else if (Array.isArray(d)) {
      const arr = [...(cur as [number, number])] as [number, number];
      ["β1", "β2"].forEach((label, i) =>
        target.append(
          labelled(label, numberInput(`${id}-${i}`, arr[i], (v) => {
            if (v === undefined) return;
            arr[i] = v;
            setOption(key, [arr[0], arr[1]]);
          }, { min: "0", max: "0.999999" })),
        ),
      );
    } else {
      const s = select(id, allowedStrings(e.name, key), cur as string);
      s.addEventListener("change", () => setOption(key, s.value));
      target.append(labelled(key, s));
    }
  }
  li.append(main);
  if (moreBox.childElementCount > 0) li.append(more);

  const sched = document.createElement("div");
  sched.className = "sched";
  const drawScheduler = () => sched.replaceChildren(...schedulerControls(e, k, hooks.steps, (s) => {
    const ok = apply({ ...e, scheduler: s });
    drawScheduler();
    return ok;
  }));
  drawScheduler();
  li.append(sched, err);
  return li;
}

const NONE = "none";

/**
 * The scheduler select and, when one is picked, its option fields. `set`
 * applies a whole new scheduler (undefined: none) and says whether it was
 * accepted; the controls are redrawn either way, so a refused value shows
 * the last good one again while the error stays visible.
 */
function schedulerControls(e: OptimizerEntry, k: number, steps: number, set: (s: SchedulerEntry | undefined) => boolean): HTMLElement[] {
  const cur = e.scheduler;
  const lr = typeof e.options.lr === "number" ? e.options.lr : LAB_LR[e.name];
  const pick = select(`o${k}-sched`, [NONE, ...schedulerNames], cur?.name ?? NONE, { [NONE]: "none (constant lr)" });
  pick.addEventListener("change", () => {
    set(pick.value === NONE ? undefined : newScheduler(pick.value as SchedulerName, steps, lr, e.name));
    document.getElementById(`o${k}-sched`)?.focus();
  });
  const out: HTMLElement[] = [labelled("Scheduler", pick, "row")];
  if (!cur) return out;

  const box = document.createElement("div");
  box.className = "params";
  box.append(...fieldsOf(cur, `o${k}-s`, (next) => set(next)));
  out.push(box);
  if (cur.name !== "sequentialLR") return out;

  // Stages of sequentialLR: stage i runs from milestones[i − 1] (or 0) on.
  const children = cur.children ?? [];
  const milestones = (cur.options.milestones as number[] | undefined) ?? [];
  const list = document.createElement("ol");
  list.className = "stages";
  children.forEach((child, i) => {
    const item = document.createElement("li");
    const from = i === 0 ? 0 : milestones[i - 1];
    const title = document.createElement("span");
    title.className = "stage-title";
    title.textContent = `Stage ${i + 1}, from step ${from ?? "?"}`;
    const childPick = select(`o${k}-s${i}-name`, CHILD_SCHEDULERS, child.name);
    childPick.addEventListener("change", () => {
      const kids = children.slice();
      kids[i] = newScheduler(childPick.value as SchedulerName, Math.max(1, steps - (from ?? 0)), lr, e.name);
      set({ ...cur, children: kids });
      document.getElementById(`o${k}-s${i}-name`)?.focus();
    });
    const rm = button("Remove stage", () => {
      const kids = children.filter((_, j) => j !== i);
      const ms = milestones.filter((_, j) => j !== Math.max(0, i - 1));
      set({ ...cur, options: { ...cur.options, milestones: ms }, children: kids });
      document.getElementById(`o${k}-sched`)?.focus();
    }, `Remove stage ${i + 1} of optimizer ${k + 1}'s sequentialLR`);
    rm.disabled = children.length <= 1;
    const fields = document.createElement("div");
    fields.className = "params";
    fields.append(
      ...fieldsOf(child, `o${k}-s${i}`, (next) => {
        const kids = children.slice();
        kids[i] = next;
        return set({ ...cur, children: kids });
      }),
    );
    const row = document.createElement("div");
    row.className = "opt-head";
    row.append(labelled(title.textContent, childPick, "opt-name"), rm);
    item.append(row, fields);
    list.append(item);
  });
  const add = button("Add stage", () => {
    const last = milestones.length ? milestones[milestones.length - 1] : 0;
    const at = Math.min(Math.max(last + 1, Math.round(last + (steps - last) / 2)), Math.max(last + 1, steps));
    set({
      ...cur,
      options: { ...cur.options, milestones: [...milestones, at] },
      children: [...children, { name: "exponentialLR", options: { gamma: 0.99 } }],
    });
    document.getElementById(`o${k}-s${children.length}-name`)?.focus();
  });
  out.push(list, add);
  return out;
}

/** One control per option of a scheduler; optional ones may be left empty (the library's default). */
function fieldsOf(s: SchedulerEntry, prefix: string, set: (next: SchedulerEntry) => unknown): HTMLElement[] {
  const update = (key: string, v: SchedulerValue | undefined) => {
    const options = { ...s.options };
    if (v === undefined) delete options[key];
    else options[key] = v;
    set({ ...s, options });
  };
  return schedulerFields(s.name).map((key) => {
    const kind = SCHEDULER_OPTION_KIND[key];
    const v = schedulerValue(s, key);
    const id = `${prefix}-${key}`;
    if (kind === "boolean") {
      const c = document.createElement("input");
      c.type = "checkbox";
      c.id = id;
      c.checked = v === true;
      c.addEventListener("change", () => update(key, c.checked));
      return labelled(key, c, "check");
    }
    if (Array.isArray(kind)) {
      const sel = select(id, kind, String(v));
      sel.addEventListener("change", () => update(key, sel.value));
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
          i.setAttribute("aria-invalid", "true");
          return;
        }
        i.removeAttribute("aria-invalid");
        update(key, parts.map(Number));
      });
      return labelled(`${key} (steps)`, i);
    }
    const attrs: Record<string, string> = { placeholder: key in schedulerDefaults[s.name] ? "default" : "required" };
    if (kind === "integer") attrs.step = "1";
    return labelled(key, numberInput(id, typeof v === "number" ? v : undefined, (nv) => update(key, nv), attrs));
  });
}
