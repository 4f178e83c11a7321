/**
 * Every optimizer of the registry in the browser lab: it races (its trail on
 * the contour, its loss in the chart), its editor has a control for every
 * option of its schema, and a small sweep of it renders from the worker pool.
 * The names come from the registry, so an optimizer added later is covered.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { optimizerNames, resolveOptimizer } from "../../src/optim/index.js";
import { BACKEND_READY, labSession } from "./harness.js";

const lab = labSession();

function open(hash: string): Promise<{ page: Page; errors: string[] }> {
  return lab.open(hash, { waitFor: [BACKEND_READY, "#contour svg"] });
}

describe("every optimizer of the registry in the lab", () => {
  it("races each one with a control for every option, and sweeps it", async () => {
    const { page, errors } = await open("#f=booth&x0=2,-1&steps=60&o=sgd");
    for (const name of optimizerNames) {
      // The link sets the optimizer: a hash change reloads the state.
      await page.evaluate((h) => (location.hash = h), `#f=booth&x0=2,-1&steps=60&o=${name}&sweep=0:beta1:8:loss:basins:0.0001`);
      await page.waitForFunction((n) => (document.querySelector("#o0-name") as HTMLSelectElement | null)?.value === n, name);
      // The race is drawn: the contour's legend names this optimizer.
      await page.waitForFunction((n) => document.querySelector("#contour svg")?.textContent?.includes(n), name, { timeout: 15_000 });
      expect(await page.textContent("#notice"), name).not.toMatch(/Run failed|not used/);
      // One control (or one per tuple element) per option of the schema.
      const { def } = resolveOptimizer(name);
      for (const key of Object.keys(def.schema)) {
        const n = await page.locator(`[id^="o0-${key}"]`).count();
        expect(n, `${name}.${key} has no control`).toBeGreaterThan(0);
      }
      // The loss chart has a finite first point for this run.
      expect(await page.locator("#loss svg path").count(), name).toBeGreaterThan(0);
      const before = await page.getAttribute("#heatmap", "data-done");
      await page.click("#sweep-run");
      await page.waitForFunction(
        (b) => {
          const h = document.querySelector("#heatmap") as HTMLElement;
          return h.dataset.done !== undefined && h.dataset.done !== b && h.querySelector("svg") !== null;
        },
        before,
        { timeout: 60_000 },
      );
      expect(await page.textContent("#sweep-status"), name).toMatch(/^64 runs/);
      expect(await page.locator("#heatmap svg .cells rect").count(), name).toBe(64);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
