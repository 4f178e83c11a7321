// Memory ownership on the wasm backend: views, growth, disposal, reclamation,
// and errors for misuse; plus state dicts crossing backends.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend, init, type Backend, type Core } from "../bindings/index.js";
import { Arena } from "../bindings/arena.js";

let wasm: Backend;
let js: Backend;
let core: Core;
beforeAll(async () => {
  wasm = await createBackend("wasm");
  js = await createBackend("js");
  core = await init();
});

describe("arena", () => {
  it("reuses freed blocks, coalesces neighbours and lowers the top", () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const a = new Arena(mem, 100);
    const p1 = a.alloc(10), p2 = a.alloc(40), p3 = a.alloc(16);
    expect(p1 % 16).toBe(0);
    expect(p2).toBe(p1 + 16);
    expect(p3).toBe(p2 + 48);
    a.release(p2);
    expect(a.alloc(33)).toBe(p2); // first fit into the hole
    a.release(p1);
    a.release(p2);
    a.release(p3);
    expect(a.used).toBe(0);
    expect(a.extent).toBe(p1); // everything coalesced back into the top
    expect(() => a.release(p1)).toThrow(/not an allocated block/);
  });

  it("grows memory by pages when needed", () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const a = new Arena(mem, 0);
    a.alloc(200_000);
    expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(200_000);
  });
});

describe("tensors in wasm memory", () => {
  it("are zero-copy views of linear memory", () => {
    const t = wasm.tensor("f32", [1, 2, 3]);
    expect(t.data.buffer).toBe(core.memory.buffer);
    t.data[1] = 7;
    expect(Array.from(t.data)).toEqual([1, 7, 3]);
    t.dispose();
  });

  it("never hand out a stale view after memory grows", () => {
    const t = wasm.tensor("f64", [1, 2, 3]);
    const before = t.data;
    const pages = core.memory.buffer.byteLength / 65536;
    const big = wasm.tensor("f64", 4 * 65536); // forces growth
    expect(core.memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
    expect(before.byteLength).toBe(0); // the old view was detached by growth
    expect(Array.from(t.data)).toEqual([1, 2, 3]); // the getter rebuilt it
    big.dispose();
    t.dispose();
  });

  it("memory stays bounded over 100,000 create/dispose cycles", () => {
    const start = core.arena.extent;
    const bytes = core.memory.buffer.byteLength;
    for (let i = 0; i < 100_000; i++) {
      const p = wasm.param(i % 2 ? "f32" : "f64", 1 + (i % 37));
      p.data[0] = i;
      p.dispose();
    }
    expect(core.arena.extent).toBeLessThanOrEqual(start + 4096);
    expect(core.memory.buffer.byteLength).toBe(bytes);
  });

  it("a disposed tensor is an error, not a read of freed memory", () => {
    const t = wasm.tensor("f32", 4);
    t.dispose();
    t.dispose(); // idempotent
    expect(t.disposed).toBe(true);
    expect(() => t.data).toThrow(/disposed/);
    const p = wasm.param("f32", [1, 2]);
    const opt = wasm.createOptimizer("sgd", [p], { lr: 0.1 });
    p.dispose();
    expect(() => opt.step()).toThrow(/params\[0\] was disposed/);
  });

  it("bad sizes and values are clear errors", () => {
    expect(() => wasm.tensor("f16" as "f32", 3)).toThrow(/dtype: must be one of "f32", "f64"/);
    expect(() => wasm.tensor("f32", -1)).toThrow(/length: must be an integer/);
    expect(() => wasm.tensor("f32", 1.5)).toThrow(RangeError);
    expect(() => wasm.createOptimizer("adam", [{ data: new Float32Array(3), grad: new Float32Array(2) }])).toThrow(/params\[0\]\.grad: must have the length of data/);
  });

  it("forgotten tensors are reclaimed by the garbage collector", () => {
    // A child process with --expose-gc: allocate without dispose, collect, and check the arena emptied.
    const script = `
      const { init, createBackend } = await import(${JSON.stringify(join(__dirname, "..", "dist", "bindings", "index.js"))});
      const core = await init(); const b = await createBackend("wasm");
      const used0 = core.arena.used;
      for (let i = 0; i < 2000; i++) b.param("f64", 1000);
      const peak = core.arena.used;
      for (let k = 0; k < 20 && core.arena.used > used0; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify({ peak, after: core.arena.used, used0 }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out.peak - out.used0).toBe(2000 * 2 * 8000); // data and grad of 1000 f64 each
    expect(out.after).toBe(out.used0);
  });
});

describe("failures inside the core", () => {
  it("a trap is a JS error and the core keeps working", () => {
    const k = core.exports as unknown as { fnValueGradF64(id: number, p: number, x: number, g: number, n: number): number };
    // An id the bindings would never pass reaches `unreachable` in the dispatcher.
    expect(() => k.fnValueGradF64(99, 0, 0, 0, 2)).toThrow(WebAssembly.RuntimeError);
    const p = wasm.param("f64", [1, 2]);
    const f = wasm.createFunction("booth");
    expect(f.valueAndGrad(p.data, p.grad)).toBe(js.createFunction("booth").value([1, 2]));
    p.dispose();
  });
});

describe("optimizers across backends", () => {
  it("a state saved on one backend loads on the other and continues bit for bit", () => {
    for (const [from, to] of [[wasm, js], [js, wasm]] as const) {
      const a = from.param("f32", [0.5, -1, 2, 3, -4]);
      const oa = from.createOptimizer("adam", [a], { lr: 0.1, amsgrad: true });
      const grad = (p: { data: ArrayLike<number>; grad: Float32Array | Float64Array }) => p.data && Array.from(p.data).forEach((v, i) => (p.grad[i] = 2 * v - 1));
      for (let t = 0; t < 5; t++) { grad(a); oa.step(); }
      const b = to.param("f32", Array.from(a.data));
      const ob = to.createOptimizer("adam", [b]);
      ob.loadStateDict(JSON.parse(JSON.stringify(oa.stateDict())));
      for (let t = 0; t < 5; t++) { grad(a); oa.step(); grad(b); ob.step(); }
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
      expect(ob.stateDict()).toEqual(oa.stateDict());
    }
  });

  it("plain typed arrays work on the wasm backend (copied through wasm memory)", () => {
    const x = new Float64Array([1, 2, 3]), g = new Float64Array([0.1, 0.2, 0.3]);
    const y = x.slice(), h = g.slice();
    wasm.createOptimizer("rmsprop", [{ data: x, grad: g }], { lr: 0.1 }).step();
    js.createOptimizer("rmsprop", [{ data: y, grad: h }], { lr: 0.1 }).step();
    expect(Array.from(x)).toEqual(Array.from(y));
  });
});

describe("init", () => {
  it("refuses another binary once the core is running", async () => {
    const debug = readFileSync(join(__dirname, "..", "build", "debug.wasm"));
    await expect(init({ wasm: debug })).rejects.toThrow(/must come before the core is first used/);
  });

  it("a fresh process can run the debug build through init({ wasm })", () => {
    const script = `
      const { readFileSync } = await import("node:fs");
      const { init, createBackend } = await import(${JSON.stringify(join(__dirname, "..", "dist", "bindings", "index.js"))});
      const core = await init({ wasm: readFileSync(${JSON.stringify(join(__dirname, "..", "build", "debug.wasm"))}) });
      const b = await createBackend("wasm");
      const p = b.param("f32", [3, 4]);
      const o = b.createOptimizer("adam", [p], { lr: 0.1 });
      p.grad.set([1, 1]); o.step();
      console.log(JSON.stringify({ sha: core.sha256 ?? null, x: Array.from(p.data) }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out.sha).toBeNull();
    expect(out.x).toEqual([Math.fround(3 - Math.fround(0.1 * Math.fround(1 / Math.fround(1 + 1e-8)))), Math.fround(4 - Math.fround(0.1 * Math.fround(1 / Math.fround(1 + 1e-8))))]);
  });
});
