/**
 * A first-fit allocator over WebAssembly linear memory, kept on the JS side
 * (the kernels never allocate; `--runtime stub` has no free). Blocks are
 * 16-byte aligned so every v128 load in a kernel is aligned. Freed blocks are
 * coalesced with their neighbours and the top of the heap shrinks back, so a
 * create/dispose loop runs in bounded memory.
 *
 * Memory grows geometrically (at least doubling, in whole 64 KiB pages), so
 * holding many tensors costs amortised O(1) per allocation instead of one
 * `memory.grow` (which copies or remaps the whole memory) per tensor. It never
 * shrinks (wasm cannot). wasm32 addresses at most 4 GiB: an allocation that
 * cannot fit is a RangeError naming it, and changes nothing, so the backend
 * keeps working.
 */
export const ALIGN = 16;
const PAGE = 65536;
/** wasm32: 65,536 pages of 64 KiB = 4 GiB. */
export const MAX_PAGES = 65536;

export class Arena {
  /** Free blocks [ptr, size], sorted by address, never adjacent. */
  private free: [number, number][] = [];
  private sizes = new Map<number, number>();
  private top: number;
  private inUse = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly base: number,
  ) {
    this.top = align(base);
  }

  /** Bytes currently allocated. */
  get used(): number {
    return this.inUse;
  }

  /** Highest address handed out so far (the heap's extent). */
  get extent(): number {
    return this.top;
  }

  /** Live allocations. */
  get count(): number {
    return this.sizes.size;
  }

  /**
   * An aligned block of at least `bytes` bytes (uninitialised). `what`
   * names the allocation in the RangeError when it cannot fit
   * (e.g. "a f32 tensor of 1000000000 values").
   */
  alloc(bytes: number, what = `a block of ${bytes} bytes`): number {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`wasm memory: ${what}: ${bytes} is not a size in bytes`);
    const size = Math.max(ALIGN, align(bytes));
    for (let k = 0; k < this.free.length; k++) {
      const [ptr, avail] = this.free[k];
      if (avail < size) continue;
      if (avail === size) this.free.splice(k, 1);
      else this.free[k] = [ptr + size, avail - size];
      return this.take(ptr, size);
    }
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.grow(end, what);
    this.top = end;
    return this.take(ptr, size);
  }

  /** Grows the memory to hold `end` bytes: doubled when the engine allows, else exactly. */
  private grow(end: number, what: string): void {
    const havePages = this.memory.buffer.byteLength / PAGE;
    const needPages = Math.ceil(end / PAGE);
    const full = (detail: string) =>
      new RangeError(
        `wasm memory: cannot allocate ${what} (${formatSize(end - this.top)}): ${detail}; ` +
          `${formatSize(this.inUse)} in use by ${this.sizes.size} blocks. Dispose tensors you no longer need (backend.tidy helps), or use the js backend`,
      );
    if (needPages > MAX_PAGES) throw full(`wasm32 memory holds at most 4 GiB`);
    const doubled = Math.min(MAX_PAGES, Math.max(needPages, 2 * havePages));
    try {
      this.memory.grow(doubled - havePages);
    } catch {
      try {
        this.memory.grow(needPages - havePages);
      } catch {
        throw full(`the engine refused to grow the memory to ${formatSize(needPages * PAGE)}`);
      }
    }
  }

  private take(ptr: number, size: number): number {
    this.sizes.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Returns a block from {@link alloc}; freeing anything else is an Error. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`wasm memory: ${ptr} is not an allocated block (double free?)`);
    this.sizes.delete(ptr);
    this.inUse -= size;
    let lo = 0,
      hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid][0] < ptr) lo = mid + 1;
      else hi = mid;
    }
    let start = ptr,
      len = size,
      at = lo;
    const prev = this.free[lo - 1];
    if (prev && prev[0] + prev[1] === start) {
      start = prev[0];
      len += prev[1];
      at = lo - 1;
      this.free.splice(at, 1);
    }
    const next = this.free[at];
    if (next && start + len === next[0]) {
      len += next[1];
      this.free.splice(at, 1);
    }
    if (start + len === this.top) this.top = start;
    else this.free.splice(at, 0, [start, len]);
  }
}

// Arithmetic, not bit masks: sizes and addresses pass 2^31, where `&` wraps.
function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function formatSize(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`;
}
