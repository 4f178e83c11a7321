/**
 * End-to-end tests of the browser lab (web/) in real Chromium: the built
 * page, served over HTTP, driven by playwright-core.
 */
import { writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLab, cleanup, decodePng, distinctColours, launch, serve } from "./harness.js";

let dir = "";
let server: Server;
let url = "";
let browser: Browser;

beforeAll(async () => {
  dir = await buildLab();
  ({ server, url } = await serve(dir));
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(null)));
  if (dir) cleanup(dir);
});

/** A fresh page with every console error and uncaught exception collected. */
async function open(hash = "", viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url + hash);
  await page.waitForSelector("#backend-status[data-backend]:not([data-backend=''])");
  await page.waitForSelector("#loss svg");
  if (!hash.includes("view=surface")) await page.waitForSelector("#contour svg");
  return { page, errors };
}

describe("browser lab", () => {
  it("loads with no console error, with the wasm backend active, and shows the race", async () => {
    const { page, errors } = await open();
    expect(await page.getAttribute("#backend-status", "data-backend")).toBe("wasm");
    expect(await page.textContent("#speed")).toMatch(/wasm [\d.]+ [Mk]/);
    // One trajectory per optimizer in the legend, all 18 functions offered.
    expect(await page.locator("#optimizers > li").count()).toBe(4);
    expect(await page.locator("#fn option").count()).toBe(18);
    expect(await page.locator("#contour svg .isolines path").count()).toBeGreaterThan(3);
    // Every control has a label.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll("input, select")).filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute("aria-label")).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("changing an optimizer changes the plot; clicking the contour sets the start", async () => {
    const { page, errors } = await open();
    const before = await page.innerHTML("#contour");
    await page.fill("#o0-lr", "0.0002");
    await page.press("#o0-lr", "Tab");
    await page.waitForFunction((b) => document.querySelector("#contour")!.innerHTML !== b, before);
    expect(await page.evaluate(() => location.hash)).toContain("o=sgd:lr=0.0002,");
    const mid = await page.innerHTML("#contour");
    await page.selectOption("#o1-name", "nadam");
    await page.waitForFunction((b) => document.querySelector("#contour")!.innerHTML !== b, mid);
    expect(await page.evaluate(() => location.hash)).toContain(",nadam:lr=0.1,");
    expect(await page.locator("#contour svg").textContent()).toContain("nadam lr=0.1");
    // Click the plot area (its clip rectangle) at its centre: rosenbrock's window is x ∈ [−2, 2], y ∈ [−1, 3].
    const box = await page.locator("#contour svg #c-plot-area rect").boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    await page.waitForFunction(() => (document.querySelector("#x0") as HTMLInputElement).value !== "-1.2");
    expect(Number(await page.inputValue("#x0"))).toBeCloseTo(0, 1);
    expect(Number(await page.inputValue("#y0"))).toBeCloseTo(1, 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("round-trips the URL hash and reports bad fields without failing", async () => {
    const hash =
      "f=quadratic:weights=0.2/2&x0=3,4&steps=60&dtype=f64&backend=wasm&o=adam:lr=0.2:betas=0.9/0.99:epsMode=hat,momentum:lr=0.05:nesterov=true,rmsprop:lr=0.05:alpha=0.9:centered=true&view=contour&sweep=2:alpha:12";
    const { page, errors } = await open("#" + hash);
    expect(await page.evaluate(() => location.hash)).toBe("#" + hash);
    expect(await page.inputValue("#fn")).toBe("quadratic");
    expect(await page.inputValue("#fp-weights-0")).toBe("0.2");
    expect(await page.inputValue("#steps")).toBe("60");
    expect(await page.inputValue("#dtype")).toBe("f64");
    expect(await page.locator("#optimizers > li").count()).toBe(3);
    expect(await page.inputValue("#o0-betas-1")).toBe("0.99");
    expect(await page.inputValue("#o0-epsMode")).toBe("hat");
    expect(await page.isChecked("#o1-nesterov")).toBe(true);
    expect(await page.isChecked("#o2-centered")).toBe(true);
    expect(await page.inputValue("#sweep-y")).toBe("alpha");
    expect(await page.inputValue("#sweep-n")).toBe("12");
    expect(await page.isHidden("#notice")).toBe(true);
    // Re-serialising the state read from the page gives the same hash.
    await page.fill("#steps", "60");
    await page.press("#steps", "Tab");
    expect(await page.evaluate(() => location.hash)).toBe("#" + hash);
    await page.close();

    const bad = await open("#f=nope&steps=1e3&o=adam:lr=-1&x0=alert(1),2&zzz=1");
    expect(await bad.page.isVisible("#notice")).toBe(true);
    const note = await bad.page.textContent("#notice");
    for (const f of ["f: unknown function", "steps:", "o[0].lr", "x0[0]", "unknown field"]) expect(note).toContain(f);
    expect(await bad.page.inputValue("#fn")).toBe("rosenbrock");
    expect(errors).toEqual([]);
    expect(bad.errors).toEqual([]);
    await bad.page.close();
  });

  it("renders the sweep heatmap from a worker, with progress", async () => {
    const { page, errors } = await open("#f=rosenbrock&x0=-1.2,1&steps=200&o=adam:lr=0.05&sweep=0:beta1:16");
    await page.click("#sweep-run");
    await page.waitForSelector("#heatmap[data-done] svg", { timeout: 30_000 });
    expect(await page.locator("#heatmap svg .cells rect").count()).toBe(16 * 16);
    const fills = await page.$$eval("#heatmap svg .cells rect", (rs) => new Set(rs.map((r) => r.getAttribute("fill"))).size);
    expect(fills).toBeGreaterThan(10);
    expect(await page.$eval("#sweep-progress", (p) => (p as HTMLProgressElement).value)).toBe(16);
    expect(await page.textContent("#sweep-status")).toMatch(/256 runs, [\d,]+ steps in \d+ ms on wasm/);
    await page.locator(".sweep").screenshot({ path: "/tmp/optimlab-lab-sweep.png" });
    // A click on a cell takes its lr and β1 for the optimizer.
    const before = await page.innerHTML("#contour");
    await page.click("#heatmap svg .cells rect[data-i='2'][data-j='5']");
    await page.waitForFunction((b) => document.querySelector("#contour")!.innerHTML !== b, before);
    expect(await page.inputValue("#o0-betas-0")).toBe(String(Number(((5 + 0.5) / 16).toPrecision(3))));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("toggles the backend to js and back, measuring each", async () => {
    const { page, errors } = await open();
    await page.check('input[name="backend"][value="js"]');
    await page.waitForSelector('#backend-status[data-backend="js"]');
    expect(await page.textContent("#speed")).toMatch(/wasm [\d.]+ [Mk].*js [\d.]+ [Mk]/);
    expect(await page.evaluate(() => location.hash)).toContain("backend=js");
    await page.check('input[name="backend"][value="wasm"]');
    await page.waitForSelector('#backend-status[data-backend="wasm"]');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the 3-D view without errors", async () => {
    const { page, errors } = await open("#view=surface");
    await page.waitForSelector("#surface canvas, #surface svg", { timeout: 20_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: "/tmp/optimlab-lab-surface.png" });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [name, viewport] of [["1280x800", { width: 1280, height: 800 }], ["390x844", { width: 390, height: 844 }]] as const) {
    it(`is not blank at ${name} (screenshot in /tmp)`, async () => {
      const { page, errors } = await open("", viewport);
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(`/tmp/optimlab-lab-${name}.png`, png);
      const { width, rgba } = decodePng(png);
      expect(width).toBe(viewport.width);
      expect(distinctColours(rgba)).toBeGreaterThan(200);
      // Nothing wider than the viewport (no horizontal scrolling).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
