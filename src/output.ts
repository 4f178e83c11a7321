/**
 * Writing the CLI's outputs (Node only): every problem with an output path
 * is an {@link OutputError} naming the option (`--out`, `--json`, a spec's
 * `out`) and the reason, found before the work starts where it can be, and
 * nothing is ever left half-written:
 *
 * - a file is written to a temporary name in its folder, then renamed over
 *   the target (a rename within a folder is atomic);
 * - a folder of files (the report) is built in a temporary folder beside the
 *   target, then renamed into place when the target does not exist yet, or
 *   its files are moved in one by one (each rename atomic) when it does;
 *   files already in the target that the new output does not replace stay.
 *
 * The parent folder of an output must exist (no recursive mkdir: it cannot
 * fail cleanly everywhere, and Node's loops forever under /proc).
 */
import { type Stats, closeSync, existsSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** An output the user must fix (the CLI exits 2 with its message). */
export class OutputError extends Error {
  override name = "OutputError";
  /** The option or field at fault, e.g. `--out`. */
  readonly option: string;
  constructor(option: string, detail: string) {
    super(`${option}: ${detail}`);
    this.option = option;
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "is a folder",
  EEXIST: "already exists",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EBUSY: "busy",
  EINVAL: "invalid path",
  EMFILE: "too many open files",
};

/** A Node file-system error as a short reason ("permission denied"). */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code ? `${REASONS[code] ?? (e as Error).message} (${code})` : String((e as Error)?.message ?? e);
}

/** Checks that `path` can become a file: its folder exists and takes new files, and it is not a folder itself. */
export function checkOutputFile(path: string, option = "--out"): void {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new OutputError(option, `${path} is a folder; give a file name`);
  probe(dirname(target), option, path);
}

/** Checks that `dir` can become (or be refreshed as) a folder of outputs. */
export function checkOutputDir(dir: string, option = "--out"): void {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new OutputError(option, `${dir} exists and is not a folder`);
  probe(dirname(target), option, dir);
}

/** The folder must exist, be a folder and take a new file (created and removed at once). */
function probe(folder: string, option: string, path: string): void {
  let st: Stats;
  try {
    st = statSync(folder);
  } catch (e) {
    throw new OutputError(
      option,
      `cannot write ${path}: its folder ${folder} ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read: ${reason(e)}`}`,
    );
  }
  if (!st.isDirectory()) throw new OutputError(option, `cannot write ${path}: ${folder} is not a folder`);
  const name = join(folder, tempName(basename(path)));
  try {
    closeSync(openSync(name, "wx"));
    unlinkSync(name);
  } catch (e) {
    throw new OutputError(option, `cannot write ${path}: cannot create files in ${folder}: ${reason(e)}`);
  }
}

let counter = 0;
function tempName(base: string): string {
  return `.${base}.${process.pid}-${Date.now().toString(36)}-${counter++}.tmp`;
}

/** Writes `data` to a temporary file beside `path`, then renames it over `path`. */
export function writeOutputFile(path: string, data: string | Uint8Array, option = "--out"): void {
  checkOutputFile(path, option);
  const target = resolve(path);
  const temp = join(dirname(target), tempName(basename(target)));
  try {
    const fd = openSync(temp, "wx");
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    if (e instanceof OutputError) throw e;
    throw new OutputError(option, `cannot write ${path}: ${reason(e)}`);
  }
}

/** A folder of outputs being built; see {@link beginOutputDir}. */
export interface OutputDir {
  /** Writes one file (a plain name, no folders) into the folder being built. */
  put(name: string, data: string | Uint8Array): void;
  /** Moves the files into place; the outputs appear only now. */
  commit(): void;
  /** Removes everything written so far (idempotent; a no-op after commit). */
  abort(): void;
}

/**
 * Starts a folder of outputs at `dir`: checks it now and builds it in a
 * temporary folder beside it, so nothing appears at `dir` before
 * {@link OutputDir.commit}. Callers abort on error.
 */
export function beginOutputDir(dir: string, option = "--out"): OutputDir {
  checkOutputDir(dir, option);
  const target = resolve(dir);
  let temp: string;
  try {
    temp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  } catch (e) {
    throw new OutputError(option, `cannot create a folder beside ${dir}: ${reason(e)}`);
  }
  let open = true;
  const fail = (what: string, e: unknown): never => {
    rmSync(temp, { recursive: true, force: true });
    open = false;
    throw new OutputError(option, `${what}: ${reason(e)}`);
  };
  return {
    put(name, data) {
      if (!open) throw new Error("this output folder is closed");
      if (basename(name) !== name) throw new Error(`output file names have no folders; got ${name}`);
      try {
        const fd = openSync(join(temp, name), "wx");
        try {
          const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
          for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        fail(`cannot write ${join(dir, name)}`, e);
      }
    },
    commit() {
      if (!open) throw new Error("this output folder is closed");
      try {
        if (!existsSync(target)) renameSync(temp, target);
        else {
          if (!statSync(target).isDirectory()) throw Object.assign(new Error("exists and is not a folder"), { code: "ENOTDIR" });
          for (const f of readdirSync(temp)) renameSync(join(temp, f), join(target, f));
          rmSync(temp, { recursive: true, force: true });
        }
      } catch (e) {
        fail(`cannot move the outputs into ${dir}`, e);
      }
      open = false;
    },
    abort() {
      if (!open) return;
      open = false;
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
