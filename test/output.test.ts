// src/output.ts: outputs appear whole or not at all, and every problem names the option.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsBackend, type Backend } from "../src/backend.js";
import { beginOutputDir, checkOutputDir, OutputError, writeOutputFile } from "../src/output.js";
import { writeReport } from "../src/report/write.js";

const root = mkdtempSync(join(tmpdir(), "optimlab-output-"));
let n = 0;
const fresh = () => {
  const d = join(root, `case${n++}`);
  mkdirSync(d);
  return d;
};

describe("a folder of outputs", () => {
  it("appears only at commit, whole, with no temporary folder left", () => {
    const parent = fresh();
    const out = beginOutputDir(join(parent, "report"));
    out.put("a.txt", "A");
    out.put("b.bin", new Uint8Array([1, 2, 3]));
    expect(readdirSync(parent).filter((f) => f === "report")).toEqual([]);
    out.commit();
    expect(readdirSync(parent)).toEqual(["report"]);
    expect(readdirSync(join(parent, "report")).sort()).toEqual(["a.txt", "b.bin"]);
    expect([...readFileSync(join(parent, "report", "b.bin"))]).toEqual([1, 2, 3]);
  });

  it("refreshes an existing folder: its files are replaced, other files stay", () => {
    const parent = fresh();
    const target = join(parent, "out");
    mkdirSync(target);
    writeFileSync(join(target, "a.txt"), "old");
    writeFileSync(join(target, "mine.txt"), "keep");
    const out = beginOutputDir(target);
    out.put("a.txt", "new");
    out.commit();
    expect(readFileSync(join(target, "a.txt"), "utf8")).toBe("new");
    expect(readFileSync(join(target, "mine.txt"), "utf8")).toBe("keep");
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("abort leaves nothing, and an existing folder untouched", () => {
    const parent = fresh();
    const out = beginOutputDir(join(parent, "x"));
    out.put("a.txt", "A");
    out.abort();
    expect(readdirSync(parent)).toEqual([]);
  });

  it("a report whose work fails leaves no folder and no temporary files", async () => {
    const parent = fresh();
    const failing: Backend = {
      ...jsBackend,
      runMany: () => {
        throw new Error("the backend failed");
      },
    };
    await expect(writeReport(join(parent, "out"), { backend: failing })).rejects.toThrow("the backend failed");
    expect(readdirSync(parent)).toEqual([]);
  });

  it("problems are OutputErrors naming the option", () => {
    const parent = fresh();
    writeFileSync(join(parent, "file"), "x");
    expect(() => checkOutputDir(join(parent, "file"), "--json")).toThrow(OutputError);
    expect(() => checkOutputDir(join(parent, "file"), "--json")).toThrow(/^--json: .*file exists and is not a folder$/);
    expect(() => beginOutputDir(join(parent, "no", "such"))).toThrow(/^--out: cannot write .*no\/such: its folder .*no does not exist$/);
  });
});

describe("one output file", () => {
  it("replaces the target in one rename, leaving no temporary file", () => {
    const parent = fresh();
    const f = join(parent, "x.json");
    writeFileSync(f, "old");
    writeOutputFile(f, '{"a":1}', "--json");
    expect(readFileSync(f, "utf8")).toBe('{"a":1}');
    expect(readdirSync(parent)).toEqual(["x.json"]);
  });

  it("a file name that is a folder, or a missing folder, is refused before anything is written", () => {
    const parent = fresh();
    mkdirSync(join(parent, "d"));
    expect(() => writeOutputFile(join(parent, "d"), "x", "--json")).toThrow(/^--json: .*d is a folder; give a file name$/);
    expect(() => writeOutputFile(join(parent, "missing", "x"), "x")).toThrow(/^--out: cannot write .*: its folder .*missing does not exist$/);
    expect(readdirSync(parent)).toEqual(["d"]);
  });
});
