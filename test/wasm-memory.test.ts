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
    const p1 = a.alloc(10),
      p2 = a.alloc(40),
      p3 = a.alloc(16);
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

  it("grows geometrically: holding n tensors costs O(log n) memory.grow calls, not n", () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const grow = mem.grow.bind(mem);
    let calls = 0;
    mem.grow = (pages: number) => (calls++, grow(pages));
    const a = new Arena(mem, 0);
    const n = 2000,
      bytes = 40_000;
    for (let i = 0; i < n; i++) a.alloc(bytes);
    // Doubling from one page to hold 80 MB takes ceil(log2(80e6 / 65536)) = 11 calls (one per tensor before).
    expect(calls).toBeLessThanOrEqual(Math.ceil(Math.log2((n * bytes) / 65536)) + 1);
    expect(mem.buffer.byteLength).toBeLessThan(2 * n * bytes + 2 * 65536);
  });

  it("addresses and sizes past 2^31 stay exact (no 32-bit wrap in alignment)", () => {
    // A stand-in memory that only reports its size, so no gigabytes are committed.
    let size = 3 * 2 ** 30;
    const fake = {
      get buffer() {
        return { byteLength: size } as ArrayBuffer;
      },
      grow(pages: number) {
        size += pages * 65536;
        return 0;
      },
    } as unknown as WebAssembly.Memory;
    const a = new Arena(fake, 0);
    const big = a.alloc(2 ** 31 + 5);
    expect(big).toBe(0);
    const next = a.alloc(10);
    expect(next).toBe(2 ** 31 + 16);
    a.release(big);
    expect(a.alloc(2 ** 31)).toBe(0); // first fit into the freed block
  });

  it("an allocation past wasm32's 4 GiB is a RangeError naming it; nothing changes and the arena keeps working", () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const a = new Arena(mem, 0);
    const p = a.alloc(100);
    const before = { used: a.used, extent: a.extent, count: a.count, bytes: mem.buffer.byteLength };
    expect(() => a.alloc(2 ** 32, "a f32 tensor of 1073741824 values")).toThrow(RangeError);
    expect(() => a.alloc(2 ** 32, "a f32 tensor of 1073741824 values")).toThrow(
      /^wasm memory: cannot allocate a f32 tensor of 1073741824 values \(4\.00 GiB\): wasm32 memory holds at most 4 GiB/,
    );
    expect({ used: a.used, extent: a.extent, count: a.count, bytes: mem.buffer.byteLength }).toEqual(before);
    expect(a.alloc(100)).toBe(p + 112);
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

  it("an optimizer stepping across a memory growth keeps writing its coefficients where its kernel reads them", () => {
    // Adam's row changes every step (bias corrections): a row view left detached by the growth would
    // swallow the new coefficients and the kernel would reuse the old ones.
    const x0 = [0.5, -1.5, 2, 0.25, -0.75];
    const grad = (d: ArrayLike<number>, g: { [i: number]: number }) => {
      for (let i = 0; i < x0.length; i++) g[i] = 2 * d[i] - 0.3;
    };
    const trajectories = [wasm, js].map((backend) => {
      const p = backend.param("f64", x0.length);
      p.data.set(x0);
      const opt = backend.createOptimizer("adam", [p], { lr: 0.1 });
      const out: number[] = [];
      let big: { dispose(): void } | undefined;
      for (let t = 0; t < 6; t++) {
        if (backend === wasm && t === 3) {
          const pages = core.memory.buffer.byteLength / 65536;
          big = wasm.tensor("f64", core.memory.buffer.byteLength / 8 + 1); // more than the whole memory: it must grow
          expect(core.memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
        }
        grad(p.data, p.grad);
        opt.step();
        out.push(...p.data);
      }
      big?.dispose();
      (opt as { dispose?(): void }).dispose?.();
      p.dispose();
      return out;
    });
    expect(trajectories[0]).toEqual(trajectories[1]);
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
    expect(() => wasm.createOptimizer("adam", [{ data: new Float32Array(3), grad: new Float32Array(2) }])).toThrow(
      /params\[0\]\.grad: must have the length of data/,
    );
  });

  it("forgotten tensors are reclaimed by the garbage collector", () => {
    // A child process with --expose-gc: allocate without dispose, collect, and check the arena emptied.
    const script = `
      const { init, createBackend } = await import(${JSON.stringify(join(__dirname, "..", "dist", "bindings", "index.js"))});
      const core = await init(); const b = await createBackend("wasm");
      const used0 = core.arena.used;
      for (let i = 0; i < 2000; i++) b.param("f64", 1000);
      const peak = core.arena.used;
      const counted = b.memory().tensors;
      for (let k = 0; k < 20 && (core.arena.used > used0 || b.memory().tensors > 0); k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify({ peak, after: core.arena.used, used0, counted, left: b.memory().tensors }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out.peak - out.used0).toBe(2000 * 2 * 8000); // data and grad of 1000 f64 each
    expect(out.after).toBe(out.used0);
    // memory() saw them, and saw them go.
    expect(out.counted).toBe(2000);
    expect(out.left).toBe(0);
  });
});

describe("memory() and tidy(), on both backends", () => {
  for (const name of ["js", "wasm"] as const) {
    const b = () => (name === "js" ? js : wasm);

    it(`${name}: memory() counts live tensors and params and their bytes`, () => {
      const m0 = b().memory();
      const t = b().fromValues("f32", [1, 2, 3]);
      const p = b().paramZeros("f64", 10);
      const m1 = b().memory();
      expect(m1.tensors - m0.tensors).toBe(2);
      expect(m1.bytes - m0.bytes).toBe(3 * 4 + 2 * 10 * 8); // a param holds data and gradient
      expect(m1.wasmBytes).toBe(name === "wasm" ? core.memory.buffer.byteLength : 0);
      t.dispose();
      p.dispose();
      p.dispose(); // idempotent: counted once
      expect(b().memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    });

    it(`${name}: tidy disposes what fn made and did not return; returned tensors, also in arrays and objects, survive`, () => {
      const m0 = b().memory().tensors;
      let a!: ReturnType<Backend["zeros"]>, c!: ReturnType<Backend["zeros"]>;
      const out = b().tidy(() => {
        a = b().zeros("f32", 4);
        c = b().zeros("f32", 4);
        const kept = b().fromValues("f64", [5, 6]);
        const inObject = b().paramFromValues("f32", [7]);
        return { list: [kept], nested: { inObject }, n: 3 };
      });
      expect(a.disposed).toBe(true);
      expect(c.disposed).toBe(true);
      expect(Array.from(out.list[0].data)).toEqual([5, 6]);
      expect(Array.from(out.nested.inObject.data)).toEqual([7]);
      expect(b().memory().tensors - m0).toBe(2);
      out.list[0].dispose();
      out.nested.inObject.dispose();
      expect(b().memory().tensors).toBe(m0);
    });

    it(`${name}: tidy nests (an inner result belongs to the outer scope) and cleans up when fn throws`, () => {
      const m0 = b().memory().tensors;
      let inner!: ReturnType<Backend["zeros"]>[];
      let outerOnly!: ReturnType<Backend["zeros"]>;
      const kept = b().tidy(() => {
        outerOnly = b().zeros("f64", 2);
        inner = b().tidy(() => [b().zeros("f64", 1), b().zeros("f64", 1)]);
        expect(inner.every((t) => !t.disposed)).toBe(true);
        return inner[0];
      });
      expect(kept).toBe(inner[0]);
      expect(kept.disposed).toBe(false);
      expect(inner[1].disposed).toBe(true);
      expect(outerOnly.disposed).toBe(true);
      kept.dispose();
      let made!: ReturnType<Backend["zeros"]>;
      expect(() =>
        b().tidy(() => {
          made = b().zeros("f32", 3);
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(made.disposed).toBe(true);
      expect(() => b().tidy((async () => b().zeros("f32", 1)) as never)).toThrow(TypeError);
      expect(b().memory().tensors).toBe(m0);
    });

    it(`${name}: an optimizer made inside tidy keeps its state; tensors made outside are untouched`, () => {
      const outside = b().fromValues("f32", [1]);
      const { p, opt } = b().tidy(() => {
        const p = b().paramFromValues("f64", [3, 4]);
        return { p, opt: b().createOptimizer("adam", [p], { lr: 0.1 }) };
      });
      p.grad.set([0.6, 8]);
      opt.step();
      // Adam's first step: m̂ = g, v̂ = g², so x − lr·g/(|g| + ε).
      expect(p.data[0]).toBeCloseTo(3 - (0.1 * 0.6) / (0.6 + 1e-8), 12);
      expect(outside.disposed).toBe(false);
      outside.dispose();
      p.dispose();
    });
  }

  it("fromValues and zeros cannot be misread: a shape is refused with a hint, values are values", () => {
    for (const b of [js, wasm]) {
      expect(Array.from(b.fromValues("f32", [3, 4]).data)).toEqual([3, 4]);
      expect(Array.from(b.paramFromValues("f64", [3, 4]).data)).toEqual([3, 4]);
      expect(Array.from(b.zeros("f32", 3).data)).toEqual([0, 0, 0]);
      expect(Array.from(b.paramZeros("f32", 2).grad)).toEqual([0, 0]);
      expect(() => b.zeros("f32", [3, 4] as never)).toThrow(
        /^length: must be a number: tensors are flat, so give a length, not a shape; got \[3,4\] \(fromValues/,
      );
      expect(() => b.fromValues("f32", 3 as never)).toThrow(/^values: must be an array of numbers; got the number 3/);
      expect(() => b.paramZeros("f32", -1)).toThrow(/^length: must be an integer in \[0, 1073741824\]/);
      // param keeps its two readings.
      expect(b.param("f32", 3).length).toBe(3);
      expect(Array.from(b.param("f32", [3, 4]).data)).toEqual([3, 4]);
    }
  });

  it("wasm: a tensor past 4 GiB is a RangeError naming it, and the backend keeps working", () => {
    const m0 = wasm.memory();
    expect(() => wasm.zeros("f64", 2 ** 30)).toThrow(
      /^wasm memory: cannot allocate a f64 tensor of 1073741824 values \(8\.00 GiB\): wasm32 memory holds at most 4 GiB/,
    );
    expect(() => wasm.paramZeros("f32", 2 ** 30)).toThrow(/cannot allocate a f32 param('s gradient)? of 1073741824 values/);
    expect(wasm.memory()).toEqual(m0);
    const p = wasm.paramFromValues("f32", [1, 2]);
    const opt = wasm.createOptimizer("sgd", [p], { lr: 0.5 });
    p.grad.set([1, 1]);
    opt.step();
    expect(Array.from(p.data)).toEqual([0.5, 1.5]);
    p.dispose();
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
    for (const [from, to] of [
      [wasm, js],
      [js, wasm],
    ] as const) {
      const a = from.param("f32", [0.5, -1, 2, 3, -4]);
      const oa = from.createOptimizer("adam", [a], { lr: 0.1, amsgrad: true });
      const grad = (p: { data: ArrayLike<number>; grad: Float32Array | Float64Array }) =>
        p.data && Array.from(p.data).forEach((v, i) => (p.grad[i] = 2 * v - 1));
      for (let t = 0; t < 5; t++) {
        grad(a);
        oa.step();
      }
      const b = to.param("f32", Array.from(a.data));
      const ob = to.createOptimizer("adam", [b]);
      ob.loadStateDict(JSON.parse(JSON.stringify(oa.stateDict())));
      for (let t = 0; t < 5; t++) {
        grad(a);
        oa.step();
        grad(b);
        ob.step();
      }
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
      expect(ob.stateDict()).toEqual(oa.stateDict());
    }
  });

  it("plain typed arrays work on the wasm backend (copied through wasm memory)", () => {
    const x = new Float64Array([1, 2, 3]),
      g = new Float64Array([0.1, 0.2, 0.3]);
    const y = x.slice(),
      h = g.slice();
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
    expect(out.x).toEqual([
      Math.fround(3 - Math.fround(0.1 * Math.fround(1 / Math.fround(1 + 1e-8)))),
      Math.fround(4 - Math.fround(0.1 * Math.fround(1 / Math.fround(1 + 1e-8)))),
    ]);
  });
});
