/**
 * The Networks view's markup, built once when the view is first shown: the
 * data, network and training controls, the optimizers, the backend; the
 * toolbar, one panel per optimizer and the two loss charts. Every control has
 * a label; ids start with `n` (the race's start with `o`, `fn`, …).
 */
import { activationNames, datasetNames } from "optimlab";

const h = (html: string) => html;

function options(values: readonly (string | number)[]): string {
  return values.map((v) => `<option value="${v}">${v}</option>`).join("");
}

export function buildNetsDom(root: HTMLElement, speeds: readonly number[]): void {
  root.innerHTML = h(`
    <div id="nets-problem" class="controls">
      <fieldset>
        <legend>Data</legend>
        <label class="row">Data set <select id="nd-name">${options(datasetNames)}</select></label>
        <div class="pair">
          <label>Samples <input id="nd-n" type="number" min="1" step="1" /></label>
          <label>Noise <input id="nd-noise" type="number" min="0" step="any" /></label>
          <label>Test fraction <input id="nd-test" type="number" min="0" max="0.95" step="any" /></label>
          <label>Data seed <input id="nd-seed" type="number" min="0" step="1" /></label>
          <label id="nd-classes-label">Classes <input id="nd-classes" type="number" min="1" step="1" /></label>
          <label id="nd-factor-label">Inner radius <input id="nd-factor" type="number" min="0" step="any" /></label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Network and training</legend>
        <label class="row">Hidden layers (widths) <input id="nh" type="text" spellcheck="false" autocomplete="off" placeholder="none: a linear model" /></label>
        <div class="pair">
          <label>Activation <select id="na">${options(activationNames)}</select></label>
          <label>Batch size <input id="nb" type="number" min="1" step="1" /></label>
          <label>Epochs <input id="ne" type="number" min="1" step="1" /></label>
          <label>Weights seed <input id="nseed" type="number" min="0" step="1" /></label>
          <label>Precision <select id="nt"><option value="f32">f32</option><option value="f64">f64</option></select></label>
        </div>
        <p class="hint" id="nets-model"></p>
      </fieldset>
    </div>
    <section class="nets-views" aria-label="Training">
      <div class="toolbar" role="group" aria-label="Training controls">
        <button type="button" id="nets-play">Play</button>
        <button type="button" id="nets-step">Step</button>
        <button type="button" id="nets-reset">Reset</button>
        <label class="inline">Mini-batches per redraw <select id="nspeed">${options(speeds)}</select></label>
        <button type="button" id="nets-copy">Copy link</button>
        <output id="nets-epoch" aria-live="off"></output>
        <output id="nets-rate" aria-live="off" data-redraws="0"></output>
      </div>
      <p class="hint"><output id="nets-speed" aria-live="polite"></output> <output id="nets-status" aria-live="polite"></output></p>
      <div id="nets-panels" class="nets-panels"></div>
      <div class="nets-charts">
        <figure><div id="nets-train-loss" class="plot" aria-label="Training loss of every optimizer against epochs"></div></figure>
        <figure><div id="nets-test-loss" class="plot" aria-label="Test loss of every optimizer against epochs"></div></figure>
      </div>
    </section>
    <div id="nets-optimizers-box" class="controls">
      <fieldset>
        <legend>Optimizers</legend>
        <p class="hint">All train the same network from the same initial weights on the same shuffled batches. A newly picked optimizer starts at the report's grid-search lr on moons.</p>
        <ol id="nets-optimizers" class="optimizers"></ol>
        <button type="button" id="nets-add">Add optimizer</button>
      </fieldset>
      <fieldset>
        <legend>Backend</legend>
        <div class="radios">
          <label><input type="radio" name="nets-backend" value="wasm" /> wasm (SIMD)</label>
          <label><input type="radio" name="nets-backend" value="js" /> js (reference)</label>
        </div>
        <p class="hint">Training on <output id="nets-backend"></output>. Steps/s: every optimizer's mini-batch steps together, the best of 3 timings of ≥ 10 ms, measured when paused.</p>
      </fieldset>
    </div>`);
}
