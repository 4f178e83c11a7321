/**
 * End-to-end tests of the browser lab (web/) in real Chromium: the built
 * page, served over HTTP, driven by playwright-core.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import { GifReader } from "omggif";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BACKEND_READY, decodePng, distinctColours, labSession } from "./harness.js";

const lab = labSession();

/** A fresh page with every console error and uncaught exception collected. */
function open(hash = "", viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  return lab.open(hash, { viewport, waitFor: [BACKEND_READY, "#loss svg", ...(hash.includes("view=surface") ? [] : ["#contour svg"])] });
}

describe("browser lab", () => {
  it("loads with no console error, with the wasm backend active, and shows the race", async () => {
    const { page, errors } = await open();
    expect(await page.getAttribute("#backend-status", "data-backend")).toBe("wasm");
    expect(await page.textContent("#speed")).toMatch(/wasm [\d.]+ [Mk]/);
    // One trajectory per optimizer in the legend, all 18 functions offered, and a formula of one's own.
    expect(await page.locator("#optimizers > li").count()).toBe(4);
    expect(await page.locator("#fn option").count()).toBe(19);
    expect(await page.locator("#contour svg .isolines path").count()).toBeGreaterThan(3);
    // Every control has a label.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll("input, select"))
        .filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute("aria-label"))
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("changing an optimizer changes the plot; clicking or dragging on the contour sets the start", async () => {
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
    // Dragging moves the start live (the link is written when the drag ends), here to (−1, 2).
    await page.click("#reset"); // stop the race the click started, so the figure holds still
    const clicked = `x0=${await page.inputValue("#x0")},${await page.inputValue("#y0")}&`;
    await page.waitForFunction((c) => location.hash.includes(c), clicked);
    const b = (await page.locator("#contour svg #c-plot-area rect").boundingBox())!;
    const beforeDrag = await page.innerHTML("#contour");
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.25, b.y + b.height * 0.25, { steps: 8 });
    await page.waitForFunction(() => (document.querySelector("#x0") as HTMLInputElement).value === "-1");
    expect(await page.innerHTML("#contour")).not.toBe(beforeDrag);
    expect(await page.evaluate(() => location.hash)).toContain(clicked);
    await page.mouse.up();
    await page.waitForFunction(() => location.hash.includes("x0=-1,2&"));
    expect(await page.inputValue("#y0")).toBe("2");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("round-trips the URL hash and reports bad fields without failing", async () => {
    const hash =
      "f=quadratic:weights=0.2/2&x0=3,4&steps=60&tol=1e-9&patience=3&dtype=f64&backend=wasm&o=adam:lr=0.2:betas=0.9/0.99:epsMode=hat,momentum:lr=0.05:nesterov=true,rmsprop:lr=0.05:alpha=0.9:centered=true&view=contour&sweep=2:alpha:12:loss:hyper:0.0001";
    const { page, errors } = await open("#" + hash);
    expect(await page.evaluate(() => location.hash)).toBe("#" + hash);
    expect(await page.inputValue("#fn")).toBe("quadratic");
    expect(await page.inputValue("#fp-weights-0")).toBe("0.2");
    expect(await page.inputValue("#steps")).toBe("60");
    expect(await page.inputValue("#tol")).toBe("1e-9");
    expect(await page.inputValue("#patience")).toBe("3");
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

  it("shows the 3-D view without errors; the keyboard orbits it", async () => {
    const { page, errors } = await open("#view=surface");
    await page.waitForSelector("#surface canvas, #surface svg", { timeout: 20_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: "/tmp/optimlab-lab-surface.png" });
    // The keyboard orbits: the canvas looks different after three presses of ArrowLeft, and 0 brings the view back.
    const canvas = page.locator("#surface canvas");
    expect(await canvas.getAttribute("aria-label")).toMatch(/arrow keys to orbit/);
    const before = await canvas.screenshot();
    await canvas.focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowLeft");
    await page.waitForTimeout(200);
    const turned = await canvas.screenshot();
    expect(turned.equals(before)).toBe(false);
    await page.keyboard.press("0");
    await page.waitForTimeout(200);
    const { rgba: a } = decodePng(before);
    const { rgba: b } = decodePng(await canvas.screenshot());
    let diff = 0;
    for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) > 8) diff++;
    expect(diff / (a.length / 4)).toBeLessThan(0.01);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [name, viewport] of [
    ["1280x800", { width: 1280, height: 800 }],
    ["390x844", { width: 390, height: 844 }],
  ] as const) {
    it(`is not blank at ${name} (screenshot in /tmp)`, async () => {
      const { page, errors } = await open("", viewport);
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(`/tmp/optimlab-lab-${name}.png`, png);
      const { width, rgba } = decodePng(png);
      expect(width).toBe(viewport.width);
      expect(distinctColours(rgba)).toBeGreaterThan(200);
      // Nothing wider than the viewport (no horizontal scrolling).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      // Problem, race and optimizers stay together: the optimizer editors start right beside or under
      // the contour (not under the sweep, 2000 px down on a phone), and the sweep comes after them.
      const box = await page.evaluate(() =>
        Object.fromEntries(
          ["#problem-box", "#contour-fig", "#optimizers-box", ".sweep", "#loss"].map((q) => {
            const r = document.querySelector(q)!.getBoundingClientRect();
            return [q, { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left }];
          }),
        ),
      );
      const opt = box["#optimizers-box"],
        fig = box["#contour-fig"];
      if (viewport.width < 760) {
        expect(box["#problem-box"].bottom).toBeLessThan(fig.top);
        expect(opt.top - fig.bottom).toBeGreaterThanOrEqual(0);
        expect(opt.top - fig.bottom).toBeLessThan(40);
        expect(opt.bottom).toBeLessThan(box["#loss"].top);
      } else {
        expect(opt.left).toBeLessThan(fig.left);
        expect(opt.top).toBeLessThan(viewport.height);
      }
      expect(opt.top).toBeLessThan(box[".sweep"].top);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("takes a scheduler per optimizer (sequentialLR stages included), charts the lr, and keeps it in the link", async () => {
    const { page, errors } = await open("#f=booth&x0=-6,6&steps=200&o=adam:lr=0.5,sgd:lr=0.02");
    const lrBefore = await page.innerHTML("#lr");
    await page.selectOption("#o0-sched", "cosineAnnealingLR");
    await page.waitForFunction((b) => document.querySelector("#lr")!.innerHTML !== b, lrBefore);
    expect(await page.inputValue("#o0-s-tMax")).toBe("200");
    expect(await page.evaluate(() => location.hash)).toContain("&s=cosineAnnealingLR:tMax=200,-&");
    // The lr chart now has a falling line: its path spans many distinct heights.
    const heights = await page.$$eval("#lr svg path", (ps) =>
      Math.max(...ps.map((p) => new Set((p.getAttribute("d") ?? "").match(/[\d.]+(?=[LMZ ]|$)/g) ?? []).size)),
    );
    expect(heights).toBeGreaterThan(50);
    // A refused value keeps the last good scheduler and says why, naming the field.
    await page.fill("#o0-s-tMax", "0");
    await page.press("#o0-s-tMax", "Tab");
    await page.waitForFunction(() => document.querySelector("#o0-error")!.textContent !== "");
    expect(await page.textContent("#o0-error")).toMatch(/tMax/);
    expect(await page.getAttribute("#o0-s-tMax", "aria-invalid")).toBe("true");
    expect(await page.evaluate(() => location.hash)).toContain("s=cosineAnnealingLR:tMax=200,");
    // A good value clears the error; Tab moves on to the next field (the form is not rebuilt under the keyboard).
    await page.fill("#o0-s-tMax", "150");
    await page.press("#o0-s-tMax", "Tab");
    await page.waitForFunction(() => location.hash.includes("s=cosineAnnealingLR:tMax=150,"));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("o0-s-etaMin");
    expect(await page.textContent("#o0-error")).toBe("");
    expect(await page.getAttribute("#o0-s-tMax", "aria-invalid")).toBeNull();
    // sequentialLR from a link: warm-up then cosine, with its stages' controls.
    const seq =
      "#f=booth&x0=-6,6&steps=200&dtype=f32&backend=wasm&o=adam:lr=0.5&s=sequentialLR:milestones=20:schedulers=linearLR;startFactor=0.1;totalIters=20+cosineAnnealingLR;tMax=180&view=contour&sweep=0:beta1:16:loss:hyper:0.0001";
    await page.goto(lab.url() + seq);
    await page.waitForSelector("#o0-s1-tMax");
    expect(await page.inputValue("#o0-s0-name")).toBe("linearLR");
    expect(await page.inputValue("#o0-s1-tMax")).toBe("180");
    expect(await page.evaluate(() => location.hash)).toBe(seq);
    expect(await page.isHidden("#notice")).toBe(true);
    await page.screenshot({ path: "/tmp/optimlab-lab-scheduler.png", fullPage: true });
    // Moving the milestone moves stage 2's start; adding a stage adds a milestone.
    await page.fill("#o0-s-milestones", "50");
    await page.press("#o0-s-milestones", "Tab");
    await page.waitForFunction(() => location.hash.includes("sequentialLR:milestones=50:"));
    expect(await page.textContent("#optimizers .stages > li:nth-child(2) label")).toContain("Stage 2, from step 50");
    await page.click("#optimizers .sched > button");
    await page.waitForSelector("#o0-s2-name");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("o0-s2-name");
    expect(await page.evaluate(() => location.hash)).toMatch(
      /sequentialLR:milestones=50\/125:schedulers=linearLR;[^+]*\+cosineAnnealingLR;[^+]*\+exponentialLR;gamma=0\.99/,
    );
    // oneCycleLR accepts totalSteps steps; more steps are refused before running, with the reason.
    await page.selectOption("#o0-sched", "oneCycleLR");
    await page.waitForSelector("#o0-s-maxLr");
    await page.fill("#o0-s-totalSteps", "250");
    await page.press("#o0-s-totalSteps", "Tab");
    await page.waitForFunction(() => location.hash.includes("totalSteps=250"));
    await page.fill("#steps", "300");
    await page.press("#steps", "Tab");
    await page.waitForSelector("#notice:not([hidden])");
    expect(await page.textContent("#notice")).toMatch(/Steps 300 refused for optimizer 1 \(adam\).*at most 250 steps/);
    expect(await page.getAttribute("#steps", "aria-invalid")).toBe("true");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says which runs early stopping ended", async () => {
    // tol = 1e9: every step is calm, so each run stops after `patience` = 4 steps.
    const { page, errors } = await open("#f=booth&steps=100&tol=1000000000&patience=4&o=adam:lr=0.5");
    // (the legend may wrap the label over two text lines)
    expect(await page.textContent("#loss svg")).toMatch(/adam lr=0\.5 \(stopped at step 4:\s*\|Δloss\|\s*<\s*tol\)/);
    expect(await page.textContent("#frame-out")).toBe("4");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps the shown step in the link and restores it", async () => {
    const { page, errors } = await open("#f=booth&steps=100&o=adam:lr=0.5");
    await page.click("#reset");
    await page.click("#step");
    await page.click("#step");
    await page.waitForFunction(() => location.hash.includes("&t=2&"));
    expect(await page.textContent("#frame-out")).toBe("2");
    const link = await page.evaluate(() => location.href);
    const other = await lab.browser().newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(link);
    await other.waitForSelector("#contour svg");
    expect(await other.textContent("#frame-out")).toBe("2");
    expect(await other.inputValue("#frame")).toBe("2");
    await other.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sweeps steps to converge and basins of attraction; the map works from the keyboard", async () => {
    const { page, errors } = await open("#f=himmelblau&x0=0,0&steps=150&o=adam:lr=0.1&sweep=0:beta1:12:steps:hyper:0.0001");
    await page.click("#sweep-run");
    await page.waitForSelector("#heatmap[data-done] svg", { timeout: 30_000 });
    expect(await page.locator("#heatmap svg .cells rect").count()).toBe(144);
    const steps = await page.$$eval("#heatmap svg .cells rect", (rs) => rs.map((r) => Number(r.getAttribute("data-value"))));
    // Some settings converge (a step count ≤ 150), some do not (NaN, shown grey and named in the legend).
    expect(steps.some((v) => Number.isInteger(v) && v > 0 && v <= 150)).toBe(true);
    expect(steps.some((v) => Number.isNaN(v))).toBe(true);
    expect(await page.textContent("#heatmap svg .legend")).toContain("not reached in 150 steps");

    await page.check('input[name="sweep-kind"][value="basins"]');
    expect(await page.evaluate(() => location.hash)).toContain("sweep=0:beta1:12:steps:basins:0.0001");
    await page.click("#sweep-run");
    await page.waitForFunction(() => document.querySelector("#heatmap svg title")?.textContent?.includes("basins after"), undefined, { timeout: 30_000 });
    const classes = await page.$$eval("#heatmap svg .cells rect", (rs) => [...new Set(rs.map((r) => r.getAttribute("data-value")))]);
    // Himmelblau has four minima; starts over its window reach more than one of them.
    expect(classes.filter((c) => Number(c) >= 0).length).toBeGreaterThanOrEqual(3);
    expect(await page.locator("#heatmap svg .minimum-marker").count()).toBe(4);
    await page.locator(".sweep").screenshot({ path: "/tmp/optimlab-lab-basins.png" });
    // Keyboard: focus the map, move the cursor to the bottom-left cell (window [−5, 5]², 12 cells: centre −4.58), take it as the start.
    await page.focus("#heatmap");
    for (let k = 0; k < 3; k++) await page.keyboard.press("Shift+ArrowLeft");
    for (let k = 0; k < 3; k++) await page.keyboard.press("Shift+ArrowDown");
    expect(await page.textContent("#sweep-cell")).toMatch(/^start \(-4\.58, -4\.58\): (ends at|diverges|ends near no)/);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => (document.querySelector("#x0") as HTMLInputElement).value !== "0");
    expect(Number(await page.inputValue("#x0"))).toBe(-4.58);
    expect(Number(await page.inputValue("#y0"))).toBe(-4.58);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("exports the view as SVG, PNG and an animated GIF", async () => {
    const { page, errors } = await open("#f=booth&x0=-6,6&steps=80&o=adam:lr=0.5,momentum:lr=0.02");
    const save = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
      const path = `/tmp/optimlab-export-${download.suggestedFilename()}`;
      await download.saveAs(path);
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const svg = await save("#export-svg");
    expect(svg.name).toBe("optimlab-booth-contour.svg");
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg.bytes.toString("utf8"));
    expect(Number(doc.svg["@_width"])).toBeGreaterThan(300);
    expect(svg.bytes.toString("utf8")).toContain("adam lr=0.5");
    const png = await save("#export-png");
    expect(png.name).toBe("optimlab-booth-contour.png");
    const img = decodePng(png.bytes);
    expect(img.width).toBeGreaterThan(600);
    expect(distinctColours(img.rgba)).toBeGreaterThan(50);
    const gif = await save("#export-gif");
    expect(gif.name).toBe("optimlab-booth-contour.gif");
    const reader = new GifReader(new Uint8Array(gif.bytes));
    expect(reader.numFrames()).toBeGreaterThan(10);
    // The race moves: the first and last frames differ.
    const frame = (k: number) => {
      const px = new Uint8Array(reader.width * reader.height * 4);
      reader.decodeAndBlitFrameRGBA(k, px);
      return px;
    };
    const first = frame(0);
    const last = frame(reader.numFrames() - 1);
    let diff = 0;
    for (let i = 0; i < first.length; i += 4) if (first[i] !== last[i] || first[i + 1] !== last[i + 1]) diff++;
    expect(diff).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await page.close();
  });
});
