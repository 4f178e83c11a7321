/**
 * The lab's formula box in real Chromium, served with
 * `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` (no
 * 'unsafe-eval': nothing in the page may evaluate text): type a formula, see
 * its contour, race, sweep (lr × β and basins with the given minima), reload
 * the link; bad text is marked at its column.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BACKEND_READY, labSession } from "./harness.js";

const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const lab = labSession({ "content-security-policy": CSP });

function open(hash = ""): Promise<{ page: Page; errors: string[] }> {
  return lab.open(hash, { waitFor: [BACKEND_READY, "#loss svg"] });
}

const contourTitle = (page: Page) => page.evaluate(() => document.querySelector("#contour svg")?.textContent ?? "");

describe("the formula box under a CSP without unsafe-eval", () => {
  it("the policy is in force, and the lab runs on wasm under it", async () => {
    const { page, errors } = await open();
    const response = await page.goto(lab.url());
    expect(response?.headers()["content-security-policy"]).toBe(CSP);
    await page.waitForSelector("#contour svg");
    // It compiles its WebAssembly ('wasm-unsafe-eval'), and nothing of the lab violates the policy.
    expect(await page.getAttribute("#backend-status", "data-backend")).toBe("wasm");
    expect(errors).toEqual([]);
    // The policy is enforced: an inline script and a string timer (eval) in the page are refused.
    const refused = await page.evaluate(
      () =>
        new Promise<string[]>((done) => {
          const seen: string[] = [];
          document.addEventListener("securitypolicyviolation", (e) => {
            seen.push(e.blockedURI);
            if (seen.length === 2) done(seen.sort());
          });
          const s = document.createElement("script");
          s.textContent = "window.__inline = 1";
          document.head.append(s);
          (setTimeout as unknown as (code: string, ms: number) => void)("window.__eval = 1", 0);
          setTimeout(() => done(seen.sort()), 3000);
        }),
    );
    expect(refused).toEqual(["eval", "inline"]);
    expect(await page.evaluate(() => [(window as unknown as Record<string, unknown>).__inline, (window as unknown as Record<string, unknown>).__eval])).toEqual(
      [undefined, undefined],
    );
    await page.close();
  });

  it("typing a formula marks faults at their column, then draws and races it", async () => {
    const { page, errors } = await open("#f=rosenbrock&steps=200&o=adam:lr=0.05,sgd:lr=0.01");
    await page.selectOption("#fn", "expr");
    expect(await page.isVisible("#expr")).toBe(true);
    await page.waitForFunction(() => document.querySelector("#contour svg")?.textContent?.includes("sin(x)*cos(y)"));
    expect(await page.evaluate(() => location.hash)).toContain("expr=sin(x)*cos(y)%20%2B%20(x%5E2%20%2B%20y%5E2)%2F10");

    // Bad text: marked at the column, and the race keeps the last good formula.
    const before = await page.innerHTML("#contour");
    await page.fill("#expr", "(x - 1)^2 + 2*(y + 0.5^2");
    await page.waitForSelector("#expr[aria-invalid='true']");
    expect(await page.textContent("#expr-msg")).toBe('expected ")" at column 25 (to close the "(" at column 15)');
    expect(await page.getAttribute("#expr-echo", "data-column")).toBe("25");
    expect(await page.isVisible("#expr-echo mark.end")).toBe(true);
    await page.fill("#expr", "(x - 1)^2 + 2*(y + 0.5)^2 + foo");
    await page.waitForFunction(() => document.querySelector("#expr-msg")?.textContent?.startsWith('unknown name "foo" at column 29'));
    expect(await page.textContent("#expr-echo mark")).toBe("f");
    await page.locator("#problem-box").screenshot({ path: "/tmp/optimlab-lab-formula-error.png" });
    for (const bad of ["", "__proto__", "constructor(x)", "sin(x, y)", "x +", "(".repeat(300) + "x" + ")".repeat(300), "x1 + x3"]) {
      await page.fill("#expr", bad);
      await page.waitForSelector("#expr[aria-invalid='true']");
      expect((await page.textContent("#expr-msg"))!.length, bad.slice(0, 20)).toBeGreaterThan(5);
    }
    expect(await page.textContent("#expr-msg")).toContain("2-D");
    expect(await page.innerHTML("#contour")).toBe(before);

    // A good formula: drawn, raced, in the link.
    await page.fill("#expr", "(x - 1)^2 + 2*(y + 0.5)^2");
    await page.waitForFunction(() => document.querySelector("#contour svg")?.textContent?.includes("(x - 1)^2 + 2*(y + 0.5)^2"));
    expect(await page.getAttribute("#expr", "aria-invalid")).toBeNull();
    expect(await page.isHidden("#expr-echo")).toBe(true);
    expect(await page.locator("#contour svg .isolines path").count()).toBeGreaterThan(3);
    expect(await page.evaluate(() => location.hash)).toContain("expr=(x%20-%201)%5E2%20%2B%202*(y%20%2B%200.5)%5E2&x0=-2,2&");
    // The race: Adam from (−2, 2) heads for the minimum (1, −0.5); the loss chart shows it falling.
    await page.click("#play");
    await page.waitForFunction(() => document.querySelector("#play")?.textContent === "Play", undefined, { timeout: 20_000 });
    const finalLoss = await page.evaluate(() => document.querySelector("#loss svg")?.textContent ?? "");
    expect(finalLoss).toContain("adam lr=0.05");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sweeps a formula (lr × β and basins with its minima) and reloads from the link", async () => {
    const { page, errors } = await open("#f=rosenbrock&steps=150&o=adam:lr=0.1&sweep=0:beta1:12:loss:hyper:0.0001");
    await page.selectOption("#fn", "expr");
    await page.fill("#expr", "(x^2 + y - 11)^2/10 + (x + y^2 - 7)^2/10");
    await page.press("#expr", "Enter");
    await page.waitForFunction(() => document.querySelector("#contour svg")?.textContent?.includes("(x^2 + y - 11)^2/10"));
    await page.click("#sweep-run");
    await page.waitForSelector("#heatmap[data-done] svg", { timeout: 30_000 });
    expect(await page.locator("#heatmap svg .cells rect").count()).toBe(144);

    // Basins need the minima: without them the sweep says so.
    await page.check('input[name="sweep-kind"][value="basins"]');
    expect(await page.textContent("#sweep-status")).toContain("This formula has no known minima");
    expect(await page.isDisabled("#sweep-run")).toBe(true);
    await page.fill("#expr-minima", "3,2; -2.805118,3.131313; -3.779310,-3.283186; 3.584428,-1.848127");
    await page.press("#expr-minima", "Tab");
    await page.waitForFunction(() => !(document.querySelector("#sweep-run") as HTMLButtonElement).disabled);
    await page.fill("#expr-domain", "-5,5,-5,5");
    await page.press("#expr-domain", "Tab");
    await page.waitForFunction(() => location.hash.includes("dom=-5,5,-5,5"));
    await page.click("#sweep-run");
    await page.waitForFunction(() => document.querySelector("#heatmap svg title")?.textContent?.includes("basins after"), undefined, { timeout: 30_000 });
    const classes = await page.$$eval("#heatmap svg .cells rect", (rs) => [...new Set(rs.map((r) => r.getAttribute("data-value")))]);
    expect(classes.filter((c) => Number(c) >= 0).length).toBeGreaterThanOrEqual(3);
    expect(await page.locator("#heatmap svg .minimum-marker").count()).toBe(4);
    await page.locator(".lab").screenshot({ path: "/tmp/optimlab-lab-formula.png" });

    // The link holds everything: a new page from it shows the same formula, minima, window and race.
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain("expr=(x%5E2%20%2B%20y%20-%2011)%5E2%2F10%20%2B%20(x%20%2B%20y%5E2%20-%207)%5E2%2F10&m=3,2;-2.805118,3.131313;");
    const again = await open(hash);
    expect(await again.page.inputValue("#fn")).toBe("expr");
    expect(await again.page.inputValue("#expr")).toBe("(x^2 + y - 11)^2/10 + (x + y^2 - 7)^2/10");
    expect(await again.page.inputValue("#expr-minima")).toBe("3,2;-2.805118,3.131313;-3.77931,-3.283186;3.584428,-1.848127");
    expect(await again.page.inputValue("#expr-domain")).toBe("-5,5,-5,5");
    expect(await again.page.isHidden("#notice")).toBe(true);
    await again.page.waitForSelector("#contour svg");
    expect(await contourTitle(again.page)).toContain("(x^2 + y - 11)^2/10");
    expect(await again.page.evaluate(() => location.hash)).toBe(hash);
    expect(again.errors).toEqual([]);
    await again.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a link with a bad formula is reported and the defaults run; the 3-D view draws a formula", async () => {
    const bad = await open("#expr=" + encodeURIComponent("sin(x") + "&steps=50");
    expect(await bad.page.textContent("#notice")).toContain('expr: expected ")" at column 6');
    expect(await bad.page.inputValue("#fn")).toBe("rosenbrock");
    expect(bad.errors).toEqual([]);
    await bad.page.close();

    const { page, errors } = await open("#expr=" + encodeURIComponent("x^2 - y^2 + x*y/2") + "&x0=1,0.5&steps=80&o=sgd:lr=0.02&view=surface");
    await page.waitForSelector("#surface canvas, #surface svg", { timeout: 20_000 });
    expect(await page.isVisible("#surface")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
