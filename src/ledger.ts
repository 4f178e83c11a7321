/**
 * The tensors a backend has handed out: how many are alive and how many bytes
 * they hold (`backend.memory()`), and `backend.tidy(fn)` scopes, as TF.js users
 * know them. Only tensors made by a backend's factories are counted; an
 * optimizer's own state buffers are not (they live as long as the optimizer).
 * Browser-safe.
 */

/** What the ledger needs of a tensor. */
export interface Disposable {
  readonly disposed: boolean;
  dispose(): void;
}

/** What `backend.memory()` reports. */
export interface MemoryInfo {
  /** Live tensors and params made by the backend (a param counts once). */
  tensors: number;
  /** Bytes of their arrays (a param's data and gradient). */
  bytes: number;
  /** Size of the WebAssembly memory (it never shrinks); 0 on the js backend. */
  wasmBytes: number;
}

export class TensorLedger {
  private count = 0;
  private total = 0;
  private readonly sizes = new WeakMap<Disposable, number>();
  private readonly scopes: Set<Disposable>[] = [];
  // A forgotten tensor leaves the count when the garbage collector takes it.
  private readonly collected = new FinalizationRegistry<number>((bytes) => {
    this.count--;
    this.total -= bytes;
  });

  get tensors(): number {
    return this.count;
  }

  get bytes(): number {
    return this.total;
  }

  /** Counts a new tensor; inside {@link tidy} it belongs to the innermost scope. */
  add<T extends Disposable>(t: T, bytes: number): T {
    this.sizes.set(t, bytes);
    this.count++;
    this.total += bytes;
    this.collected.register(t, bytes, t);
    this.scopes[this.scopes.length - 1]?.add(t);
    return t;
  }

  /** A counted tensor was disposed (its dispose calls this once). */
  removed(t: Disposable): void {
    const bytes = this.sizes.get(t);
    if (bytes === undefined) return;
    this.sizes.delete(t);
    this.collected.unregister(t);
    this.count--;
    this.total -= bytes;
    for (const s of this.scopes) s.delete(t);
  }

  /**
   * Runs `fn` and disposes every tensor made inside it that it does not
   * return (a tensor, or tensors anywhere in returned arrays and plain
   * objects). Scopes nest: what an inner `tidy` returns belongs to the outer
   * one. If `fn` throws, everything it made is disposed. `fn` must be
   * synchronous: a Promise cannot be tidied (a TypeError, after disposing).
   */
  tidy<T>(fn: () => T): T {
    if (typeof fn !== "function") throw new TypeError(`fn: tidy needs a function; got ${typeof fn}`);
    const scope = new Set<Disposable>();
    this.scopes.push(scope);
    let result: T;
    let kept = new Set<Disposable>();
    try {
      result = fn();
      if (result instanceof Promise) throw new TypeError("fn: tidy cannot keep what an async function makes; await outside tidy, tidy the synchronous parts");
      kept = collect(result, scope);
    } finally {
      this.scopes.pop();
      for (const t of scope) if (!kept.has(t)) t.dispose();
      const parent = this.scopes[this.scopes.length - 1];
      if (parent) for (const t of kept) parent.add(t);
    }
    return result;
  }
}

/** The tensors of `scope` reachable from `v` through arrays and plain objects. */
function collect(v: unknown, scope: Set<Disposable>): Set<Disposable> {
  const found = new Set<Disposable>();
  const seen = new Set<unknown>();
  const walk = (x: unknown) => {
    if (typeof x !== "object" || x === null || seen.has(x)) return;
    seen.add(x);
    if (scope.has(x as Disposable)) {
      found.add(x as Disposable);
      return;
    }
    if (Array.isArray(x)) for (const e of x) walk(e);
    else if (Object.getPrototypeOf(x) === Object.prototype || x instanceof Map) {
      for (const e of x instanceof Map ? x.values() : Object.values(x)) walk(e);
    }
  };
  walk(v);
  return found;
}
