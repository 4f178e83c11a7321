/** The problem and optimizer controls: function (or formula), start, steps, early stopping, precision, backend, view, the optimizer editors, playback and export buttons. */
import { createFunction, functionNames, optimizerNames } from "optimlab";
import { onContourClick, wireDrag } from "./contourInput.js";
import { fill } from "./dom.js";
import { labelled, markInvalid, numberInput, optimizerEditor } from "./editors.js";
import { exportGif, exportPng, exportSvg } from "./exportView.js";
import { initFormulaBox } from "./formulaBox.js";
import { $, actions, fmtNum, lab, maxFrame, notice, writeHash } from "./lab.js";
import { pause, play, render, setFrame } from "./playback.js";
import { problemChanged, rerun } from "./race.js";
import { checkRun, followSteps, functionSpec, labLr, MAX_OPTIMIZERS, MAX_STEPS, type LabState, type OptimizerEntry } from "./state.js";
import { serializeState } from "./link.js";
import { showView } from "./views.js";

export function buildFunctionSelect() {
  const sel = $<HTMLSelectElement>("fn");
  sel.replaceChildren();
  for (const n of functionNames) sel.add(new Option(n, n));
  sel.add(new Option("formula (type your own)", "expr"));
}

function buildFunctionParams() {
  const box = $("fn-params");
  box.replaceChildren();
  const formula = lab.state.fn.name === "expr";
  $("formula-box").hidden = !formula;
  box.hidden = formula;
  if (lab.state.fn.name === "expr") {
    formulaBox.show(lab.state.fn.formula!);
    return;
  }
  const name = lab.state.fn.name;
  const defaults = createFunction(name, 2).params;
  const notNumber = (field: string) => notice(`${lab.state.fn.name}: ${field} must be a finite number; the last good value is still used.`);
  for (const [k, d] of Object.entries(defaults)) {
    const cur = lab.state.fn.params[k] ?? d;
    if (Array.isArray(cur)) {
      cur.slice(0, 2).forEach((v, i) => {
        const input: HTMLInputElement = numberInput(
          `fp-${k}-${i}`,
          v,
          (nv) => {
            if (nv === undefined) return;
            const arr = [...((lab.state.fn.params[k] as number[] | undefined) ?? (d as number[]))].slice(0, 2);
            arr[i] = nv;
            setFunctionParam(k, arr, input);
          },
          {},
          () => notNumber(`${k}[${i}]`),
        );
        box.append(labelled(`${k}[${i}]`, input));
      });
    } else {
      const input: HTMLInputElement = numberInput(
        `fp-${k}`,
        cur as number,
        (nv) => nv !== undefined && setFunctionParam(k, nv, input),
        {},
        () => notNumber(k),
      );
      box.append(labelled(k, input));
    }
  }
}

function setFunctionParam(k: string, v: number | number[], input: HTMLInputElement) {
  if (lab.state.fn.name === "expr") return;
  const name = lab.state.fn.name;
  const params = { ...lab.state.fn.params, [k]: v };
  try {
    createFunction({ name, ...params }, 2);
    notice(null);
    markInvalid(input, false);
  } catch (err) {
    markInvalid(input, true);
    notice(`${name}: ${(err as Error).message}; the last good value is still used.`);
    return;
  }
  lab.state.fn = { name, params };
  problemChanged();
}

// ------------------------------------------------------------------ formula

const formulaBox = initFormulaBox({
  state: () => lab.state,
  notice,
  commit: (f) => {
    lab.state.fn = { name: "expr", params: {}, formula: f };
    problemChanged();
  },
});

export function buildOptimizers() {
  const list = $("optimizers");
  fill(
    list,
    lab.state.optimizers.map((e, k) =>
      optimizerEditor(e, k, {
        count: lab.state.optimizers.length,
        steps: lab.state.steps,
        check: (next) => checkRun(withOptimizer(k, next), k),
        commit: (next) => {
          lab.state.optimizers[k] = next;
          rerun();
        },
        rename: (name) => {
          // The scheduler stays when the new algorithm can run it (oneCycleLR may need a momentum).
          const next: OptimizerEntry = { name, options: { lr: labLr(name) }, scheduler: lab.state.optimizers[k].scheduler };
          try {
            checkRun(withOptimizer(k, next), k);
          } catch {
            delete next.scheduler;
          }
          lab.state.optimizers[k] = next;
          actions.sweep.optimizerChanged(k, false);
          buildOptimizers();
          rerun();
          $(`o${k}-name`).focus();
        },
        remove: () => {
          lab.state.optimizers.splice(k, 1);
          actions.sweep.optimizerChanged(k, true);
          buildOptimizers();
          rerun();
          $("add-optimizer").focus();
        },
      }),
    ),
  );
  $<HTMLButtonElement>("add-optimizer").disabled = lab.state.optimizers.length >= MAX_OPTIMIZERS;
  actions.sweep.syncControls();
}

/** The state with optimizer k replaced (for validating an edit before taking it). */
export function withOptimizer(k: number, e: OptimizerEntry): LabState {
  const optimizers = lab.state.optimizers.slice();
  optimizers[k] = e;
  return { ...lab.state, optimizers };
}

export function syncProblemInputs() {
  // The values shown are the state's, all valid: no mark of an earlier refused entry stays.
  for (const id of ["x0", "y0", "steps", "tol", "patience"]) markInvalid($(id), false);
  $<HTMLSelectElement>("fn").value = lab.state.fn.name;
  $<HTMLInputElement>("x0").value = fmtNum(lab.state.x0[0]);
  $<HTMLInputElement>("y0").value = fmtNum(lab.state.x0[1]);
  $<HTMLInputElement>("steps").value = String(lab.state.steps);
  $<HTMLInputElement>("tol").value = lab.state.tol === undefined ? "" : String(lab.state.tol);
  $<HTMLInputElement>("patience").value = lab.state.patience === undefined ? "" : String(lab.state.patience);
  $<HTMLSelectElement>("dtype").value = lab.state.dtype;
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) r.checked = r.value === lab.state.backend;
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="view"]')) r.checked = r.value === lab.state.view;
  buildFunctionParams();
}

/** Wires every control; `onLinkChange` reloads the state when the address's hash is edited. */
export function wireControls(onLinkChange: () => void) {
  $("fn").addEventListener("change", () => {
    const name = $<HTMLSelectElement>("fn").value as LabState["fn"]["name"];
    lab.state.fn = name === "expr" ? { name, params: {}, formula: formulaBox.last() } : { name, params: name === "quadratic" ? { weights: [0.2, 2] } : {} };
    const st = createFunction(functionSpec(lab.state), 2).start;
    lab.state.x0 = [st[0], st[1]];
    syncProblemInputs();
    problemChanged();
  });
  const startChanged = () => {
    const x = $<HTMLInputElement>("x0").valueAsNumber;
    const y = $<HTMLInputElement>("y0").valueAsNumber;
    let bad = false;
    for (const [id, v] of [
      ["x0", x],
      ["y0", y],
    ] as const) {
      const ok = Number.isFinite(v) && Math.abs(v) <= 1e6;
      markInvalid($(id), !ok);
      bad ||= !ok;
    }
    if (bad) {
      notice("Start x and y must be numbers within ±1e6; the race still starts at the last good point.");
      return;
    }
    lab.state.x0 = [x, y];
    problemChanged();
  };
  $("x0").addEventListener("change", startChanged);
  $("y0").addEventListener("change", startChanged);
  $("steps").addEventListener("change", () => {
    const i = $<HTMLInputElement>("steps");
    const v = i.valueAsNumber;
    if (!Number.isInteger(v) || v < 1 || v > MAX_STEPS) {
      markInvalid(i, true);
      notice(`Steps must be an integer from 1 to ${MAX_STEPS}; the race keeps ${lab.state.steps}.`);
      return;
    }
    const next = { ...lab.state, steps: v, optimizers: followSteps(lab.state.optimizers, lab.state.steps, v) };
    for (let k = 0; k < lab.state.optimizers.length; k++) {
      try {
        checkRun(next, k);
      } catch (err) {
        markInvalid(i, true);
        notice(`Steps ${v} refused for optimizer ${k + 1} (${lab.state.optimizers[k].name}): ${(err as Error).message}`);
        return;
      }
    }
    markInvalid(i, false);
    notice(null);
    lab.state.steps = v;
    lab.state.optimizers = next.optimizers;
    buildOptimizers();
    rerun();
  });
  // Early stopping: empty tol = never; patience needs a tol (the library's rule).
  const stopChanged = () => {
    const t = $<HTMLInputElement>("tol");
    const p = $<HTMLInputElement>("patience");
    const tol = t.value.trim() === "" ? undefined : t.valueAsNumber;
    const patience = p.value.trim() === "" ? undefined : p.valueAsNumber;
    const badTol = tol !== undefined && !(tol >= 0);
    const badPatience = patience !== undefined && (!Number.isInteger(patience) || patience < 1 || tol === undefined);
    markInvalid(t, badTol);
    markInvalid(p, badPatience);
    if (badTol || badPatience) {
      notice(
        badPatience && tol === undefined
          ? "patience needs a tol (stop after patience steps with |Δloss| < tol)."
          : "tol must be ≥ 0 and patience an integer ≥ 1.",
      );
      return;
    }
    notice(null);
    lab.state.tol = tol;
    lab.state.patience = patience;
    rerun();
  };
  $("tol").addEventListener("change", stopChanged);
  $("patience").addEventListener("change", stopChanged);
  $("dtype").addEventListener("change", () => {
    lab.state.dtype = $<HTMLSelectElement>("dtype").value as "f32" | "f64";
    rerun();
  });
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) {
    r.addEventListener("change", () => {
      if (!r.checked) return;
      lab.state.backend = r.value as "wasm" | "js";
      rerun();
    });
  }
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="view"]')) {
    r.addEventListener("change", () => {
      if (!r.checked) return;
      lab.state.view = r.value as "contour" | "surface";
      writeHash();
      showView();
    });
  }
  $("add-optimizer").addEventListener("click", () => {
    if (lab.state.optimizers.length >= MAX_OPTIMIZERS) return;
    const used = new Set(lab.state.optimizers.map((o) => o.name));
    const name = optimizerNames.find((n) => !used.has(n)) ?? "adam";
    lab.state.optimizers.push({ name, options: { lr: labLr(name) } });
    buildOptimizers();
    rerun();
    $(`o${lab.state.optimizers.length - 1}-name`).focus();
  });
  $("play").addEventListener("click", () => (lab.playing ? pause() : play()));
  $("step").addEventListener("click", () => {
    pause();
    setFrame(Math.min(lab.frame + 1, maxFrame()));
  });
  $("reset").addEventListener("click", () => {
    pause();
    setFrame(0);
  });
  $("frame").addEventListener("input", () => {
    pause();
    setFrame($<HTMLInputElement>("frame").valueAsNumber);
  });
  $("contour").addEventListener("click", onContourClick);
  wireDrag();
  $("export-svg").addEventListener("click", () => void exportSvg());
  $("export-png").addEventListener("click", () => void exportPng());
  $("export-gif").addEventListener("click", () => void exportGif());
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      notice("Link copied.");
      setTimeout(() => $("notice").textContent === "Link copied." && notice(null), 3000);
    } catch {
      notice("Copy the address bar: the link holds the whole lab.state.");
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash === "#" + serializeState(lab.state)) return;
    onLinkChange();
  });
  let resizeTimer = 0;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      render();
      actions.sweep.render();
      lab.surfaceView?.resize();
    }, 60);
  }).observe($("contour-fig"));
}
