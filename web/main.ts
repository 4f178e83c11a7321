/**
 * The optimlab browser lab: pick a function and optimizers, watch them race
 * on the contour (and a three.js surface), sweep lr × β in a worker, share
 * the state as a link. Uses only the library's public API ("optimlab") and
 * its browser-safe plotting library ("optimlab/plot").
 *
 * This module starts the page; its parts live beside it: lab.ts (shared
 * state), controls.ts, race.ts, figures.ts, playback.ts, contourInput.ts,
 * views.ts (3-D), exportView.ts, sweepView.ts; the Networks view in networks/.
 */
import { buildFunctionSelect, buildOptimizers, syncProblemInputs, withOptimizer, wireControls } from "./controls.js";
import { actions, lab, notice, plotWidth, scopeIds, writeHash } from "./lab.js";
import { pause, play } from "./playback.js";
import { rerun } from "./race.js";
import { parseState } from "./link.js";
import { checkRun } from "./state.js";
import { initSweep, scaleEntry } from "./sweepView.js";
import { initTune } from "./tuneView.js";
import { showView } from "./views.js";
import { initPages, netsLoaded } from "./networks/view.js";

const sweep = initSweep({
  state: () => lab.state,
  fn: () => lab.fn!,
  window: () => lab.win,
  // The map may be empty (hidden) before its first sweep; the heading spans the same width.
  width: () => plotWidth("sweep-h"),
  scope: scopeIds,
  writeHash,
  setOptimizer: (k, e) => {
    try {
      checkRun(withOptimizer(k, e), k);
    } catch (err) {
      notice(`That cell cannot run: ${(err as Error).message}`);
      return false;
    }
    lab.state.optimizers[k] = e;
    buildOptimizers();
    void rerun();
    return true;
  },
  setStart: (x0) => {
    lab.state.x0 = x0;
    syncProblemInputs();
    lab.frame = 0;
    void rerun({ keepFrame: true }).then(play);
  },
});

const tune = initTune({
  state: () => lab.state,
  fn: () => lab.fn,
  scaleScheduler: scaleEntry,
  setOptimizers: (entries) => {
    for (const [k, e] of entries) {
      try {
        checkRun(withOptimizer(k, e), k);
      } catch (err) {
        notice(`The tuned lr of optimizer ${k + 1} cannot run: ${(err as Error).message}`);
        continue;
      }
      lab.state.optimizers[k] = e;
    }
    buildOptimizers();
    void rerun();
  },
});

// The Tune panel follows the optimizers and the problem wherever the sweep's controls do.
actions.sweep = { ...sweep, syncControls: () => (sweep.syncControls(), tune.sync()) };
actions.syncProblemInputs = syncProblemInputs;

function loadFromHash() {
  const { state: s, errors } = parseState(location.hash);
  lab.state = s;
  notice(errors.length ? `Some of the link was not used: ${errors.join("; ")}` : null);
  syncProblemInputs();
  buildOptimizers();
  showView();
  pause();
  void rerun({ fromLink: true });
  netsLoaded();
}

buildFunctionSelect();
initPages();
wireControls(loadFromHash);
loadFromHash();
