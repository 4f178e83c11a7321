/**
 * A first-fit allocator over WebAssembly linear memory, kept on the JS side
 * (the kernels never allocate; `--runtime stub` has no free). Blocks are
 * 16-byte aligned so every v128 load in a kernel is aligned. Freed blocks are
 * coalesced with their neighbours and the top of the heap shrinks back, so a
 * create/dispose loop runs in bounded memory. Memory grows by whole 64 KiB
 * pages when needed and never shrinks (wasm cannot).
 */
export const ALIGN = 16;
const PAGE = 65536;

export class Arena {
  /** Free blocks [ptr, size], sorted by address, never adjacent. */
  private free: [number, number][] = [];
  private sizes = new Map<number, number>();
  private top: number;
  private inUse = 0;

  constructor(readonly memory: WebAssembly.Memory, readonly base: number) {
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

  /** An aligned block of at least `bytes` bytes (uninitialised). */
  alloc(bytes: number): number {
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
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        throw new RangeError(`wasm memory: cannot grow by ${pages} pages for ${bytes} bytes (${have} bytes in use by the heap)`);
      }
    }
    this.top = end;
    return this.take(ptr, size);
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
    let lo = 0, hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid][0] < ptr) lo = mid + 1;
      else hi = mid;
    }
    let start = ptr, len = size, at = lo;
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

function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}
