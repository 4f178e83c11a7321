/**
 * The lab's worker pool in Chromium: sweeps on every core with Cancel, and
 * the Tune panel, whose tuned lr (taken into the race and the link) must be
 * what the library's tune gives in Node for the same problem, bit for bit.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createBackend } from "../../bindings/index.js";
import { createFunction } from "../../src/functions/index.js";
import { fStar, localPool, tune } from "../../src/sweep/index.js";
import { BACKEND_READY, labSession } from "./harness.js";

const lab = labSession();

function open(hash: string): Promise<{ page: Page; errors: string[] }> {
  return lab.open(hash, { waitFor: [BACKEND_READY, "#contour svg"] });
}

/** The lr of optimizer k in the page's link (`o=name:lr=…,…`). */
async function linkLr(page: Page, k: number): Promise<number> {
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  const o = /[#&]o=([^&]*)/.exec(hash)![1].split(",")[k];
  return Number(/:lr=([^:]+)/.exec(o)![1]);
}

describe("the lab's worker pool", () => {
  it("a sweep uses every core and Cancel stops it; the next one runs", async () => {
    // Long enough to cancel: Prodigy's reduce phase runs step by step, 48 × 48 cells × 5000 steps (an Adam sweep of that size is over in a blink).
    const { page, errors } = await open("#f=rosenbrock&x0=-1.2,1&steps=5000&o=prodigy&sweep=0:beta1:48");
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.click("#sweep-run");
    await page.waitForFunction(() => !(document.querySelector("#sweep-cancel") as HTMLButtonElement).disabled);
    await page.click("#sweep-cancel");
    await page.waitForFunction(() => document.querySelector("#sweep-status")!.textContent === "cancelled", undefined, { timeout: 30_000 });
    expect(await page.getAttribute("#heatmap", "data-done")).toBe(null);
    expect(await page.locator("#heatmap svg").count()).toBe(0);
    // A small sweep afterwards, on fresh workers.
    await page.selectOption("#sweep-n", "16");
    await page.fill("#steps", "200");
    await page.dispatchEvent("#steps", "change");
    await page.click("#sweep-run");
    await page.waitForSelector("#heatmap[data-done] svg", { timeout: 30_000 });
    const workers = Math.max(1, Math.min(16, cores));
    expect(await page.textContent("#sweep-status")).toMatch(new RegExp(`^256 runs, [\\d,]+ steps in \\d+ ms on wasm, ${workers} workers? \\(`));
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it("Tune all takes each optimizer's tuned lr into the race and the link: the library's, bit for bit", async () => {
    const { page, errors } = await open("#f=rosenbrock&x0=-1.2,1&steps=200&dtype=f64&o=adam:lr=0.05,sgd:lr=0.001:momentum=0.9");
    await page.selectOption("#tune-objective", "auc");
    await page.click("#tune-all");
    await page.waitForSelector("#tune[data-done]", { timeout: 60_000 });
    expect(await page.textContent("#tune-status")).toMatch(/^tuned 2 for auc over 1 start in \d+ ms on \d+ workers? \([\d,]+ runs\)/);
    await page.waitForFunction(() => /lr=/.test(location.hash));
    const lrs = [await linkLr(page, 0), await linkLr(page, 1)];
    // The same search in Node, on this process's wasm backend.
    const fn = createFunction("rosenbrock");
    const wasm = await createBackend("wasm");
    const want = await tune(
      { function: "rosenbrock", fn, starts: [[-1.2, 1]], steps: 200, dtype: "f64", backend: "wasm", epsilon: 1e-4, fStar: fStar(fn)! },
      [
        { text: "adam", optimizer: { name: "adam", lr: 0.05 } },
        { text: "sgd", optimizer: { name: "sgd", lr: 0.001, momentum: 0.9 } },
      ],
      { objectives: ["auc"] },
      localPool(() => wasm),
    );
    expect(lrs).toEqual(want.map((w) => w.lr));
    expect(lrs[0]).not.toBe(0.05);
    // The table shows them; the other options stay.
    expect(await page.locator("#tune-rows tr").count()).toBe(2);
    expect(await page.textContent("#tune-rows tr:nth-child(2) td:nth-child(3)")).not.toBe("—");
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain(":momentum=0.9");
    // One optimizer's own Tune button, for another objective: only its lr changes.
    await page.selectOption("#tune-objective", "final");
    await page.click("#tune-1");
    await page.waitForFunction(() => document.querySelector("#tune")!.getAttribute("data-done") === "2", undefined, { timeout: 60_000 });
    expect(await linkLr(page, 0)).toBe(lrs[0]);
    const [finalSgd] = await tune(
      { function: "rosenbrock", fn, starts: [[-1.2, 1]], steps: 200, dtype: "f64", backend: "wasm", epsilon: 1e-4, fStar: fStar(fn)! },
      [{ text: "sgd", optimizer: { name: "sgd", lr: lrs[1], momentum: 0.9 } }],
      { objectives: ["final"] },
      localPool(() => wasm),
    );
    expect(await linkLr(page, 1)).toBe(finalSgd.lr);
    await page.locator(".tune").screenshot({ path: "/tmp/optimlab-lab-tune.png" });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("Tune is refused for a formula without minima, saying why", async () => {
    const { page, errors } = await open("#expr=x%5E2%20%2B%20y&steps=50&o=adam:lr=0.05");
    await page.waitForFunction(() => /no known minimum/.test(document.querySelector("#tune-status")!.textContent ?? ""));
    expect(await page.isDisabled("#tune-all")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
