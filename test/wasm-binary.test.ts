// What the release binary really contains, read back with binaryen (the
// disassembler AssemblyScript itself uses): the kernels are f32x4/f64x2 code,
// the function grid runs f64x2, and there is no FMA and no relaxed SIMD,
// which would break the bit-for-bit agreement with the TypeScript reference.
import binaryen from "binaryen";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { WASM_SHA256 } from "../bindings/generated/wasm.js";

const file = new URL("../build/release.wasm", import.meta.url);
let bytes: Uint8Array<ArrayBuffer>;
let text: string;
/** Function index → body text; export name → function index. */
const bodies = new Map<string, string>();
const exportsByName = new Map<string, string>();

beforeAll(() => {
  bytes = new Uint8Array(readFileSync(file));
  const m = binaryen.readBinaryWithFeatures(bytes, binaryen.Features.All);
  try {
    text = m.emitText();
  } finally {
    m.dispose();
  }
  for (const e of text.matchAll(/\(export "([^"]+)" \(func \$([^\s)]+)\)\)/g)) exportsByName.set(e[1], e[2]);
  // Top-level functions start with "\n (func $name"; each body runs to the next one.
  const starts = [...text.matchAll(/\n \(func \$([^\s)]+)/g)];
  starts.forEach((s, k) => bodies.set(s[1], text.slice(s.index, k + 1 < starts.length ? starts[k + 1].index : text.length)));
});

/** The text of an exported function and of every function it calls, transitively. */
function reachable(exportName: string): string {
  const root = exportsByName.get(exportName);
  if (root === undefined) throw new Error(`no export ${exportName}`);
  const seen = new Set<string>([root]);
  const todo = [root];
  let out = "";
  while (todo.length) {
    const body = bodies.get(todo.pop()!) ?? "";
    out += body;
    for (const c of body.matchAll(/\(call \$([^\s)]+)/g)) {
      if (!seen.has(c[1])) {
        seen.add(c[1]);
        todo.push(c[1]);
      }
    }
  }
  return out;
}

const count = (s: string, op: string): number => s.split(`(${op}`).length - 1;

describe("build/release.wasm", () => {
  it("is the binary embedded in bindings/generated/wasm.ts and a valid module for this engine", () => {
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(WASM_SHA256);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it("contains f32x4 and f64x2 arithmetic", () => {
    for (const op of ["f32x4.add", "f32x4.sub", "f32x4.mul", "f32x4.div", "f32x4.sqrt", "f64x2.add", "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.sqrt"]) {
      expect(count(text, `${op} `) + count(text, `${op}\n`), op).toBeGreaterThan(0);
    }
  });

  it("runs the optimizer kernels and the polynomial grid on vectors", () => {
    // Every kernel is inlined into the one entry of its dtype.
    const step32 = reachable("optimizerStepF32");
    expect(count(step32, "f32x4.sqrt")).toBeGreaterThan(0);
    expect(count(step32, "f32x4.div")).toBeGreaterThan(0);
    const step64 = reachable("optimizerStepF64");
    expect(count(step64, "f64x2.sqrt")).toBeGreaterThan(0);
    const grid = reachable("fnGrid");
    expect(count(grid, "f64x2.mul")).toBeGreaterThan(50); // 13 polynomial functions, two points per vector
    expect(count(grid, "f64x2.add")).toBeGreaterThan(20);
    expect(count(grid, "v128.store")).toBeGreaterThan(12);
  });

  it("has no FMA and no relaxed SIMD", () => {
    expect(text).not.toMatch(/relaxed|madd|nmadd|qfma|qfms|\bfma\b/);
    // Structural check: the module validates with every feature except relaxed SIMD
    // (binaryen's validator rejects an instruction whose feature is disabled).
    const m = binaryen.readBinaryWithFeatures(bytes, binaryen.Features.All & ~binaryen.Features.RelaxedSIMD);
    try {
      expect(m.validate()).toBe(1);
    } finally {
      m.dispose();
    }
  });
});
