/**
 * The reference interpreter of a tape (`./tape.ts`): f64, in this order,
 * which `assembly/expr/tape.ts` follows operation for operation.
 *
 * Forward: ops 0 … n − 1 in tape order, each one IEEE operation (or one
 * `Math` call) on the values of its operand slots.
 *
 * Backward (reverse-mode differentiation of the same tape): adjoints start at
 * 0, the result's at 1; ops n − 1 … 0 each add their contributions to their
 * operands' adjoints, `a` first, then `b` (`w` is the op's adjoint, `v` its
 * value, `va`/`vb` its operands'):
 *
 * | op | contribution |
 * | --- | --- |
 * | a + b, a − b | a += w; b += w (b −= w) |
 * | a·b | a += w·vb; b += w·va |
 * | a / b | a += w / vb; b −= (w·v) / vb |
 * | −a | a −= w |
 * | min, max | to a, unless b is strictly smaller (min) or larger (max): then to b; a tie goes to a |
 * | abs | a += w·sign(va) (0 at 0) |
 * | sign | nothing (sign′ = 0) |
 * | sqrt | a += w·(0.5 / v) (+∞ at 0) |
 * | a^c (constant c) | a += w·(c·pow(va, c − 1)) |
 * | a^b | a += w·(vb·pow(va, vb − 1)); b += w·(v·log(va)), nothing where v = 0 |
 * | sin, cos, tan | a += w·cos(va); a −= w·sin(va); a += w·(1 + v·v) |
 * | asin, acos, atan | a += w / sqrt(1 − va·va); a −= w / sqrt(1 − va·va); a += w / (1 + va·va) |
 * | sinh, cosh, tanh | a += w·cosh(va); a += w·sinh(va); a += w·(1 − v·v) |
 * | exp, log, log2, log10 | a += w·v; a += w / va; a += w / (va·LN2); a += w / (va·LN10) |
 * | cbrt | a += w / (3·(v·v)) |
 * | atan2(a, b) | r = va·va + vb·vb; unless r = 0: a += (w·vb) / r; b −= (w·va) / r |
 * | hypot(a, b) | unless v = 0: a += w·(va / v); b += w·(vb / v) |
 *
 * Component k of the gradient is the adjoint of variable k's slot (0 where
 * the variable does not occur), stored once.
 *
 * @packageDocumentation
 */

import type { GradOut } from "../functions/types.js";
import { Op, sgn } from "./ops.js";
import { TAPE_HEADER, TAPE_RECORD } from "./tape.js";

/** A tape decoded into typed arrays, with its own scratch: value, value and gradient. */
export class TapeProgram {
  readonly dim: number;
  private readonly n: number;
  private readonly out: number;
  private readonly code: Int32Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly c: Float64Array;
  private readonly v: Float64Array;
  private readonly adj: Float64Array;
  private readonly varSlot: Int32Array;

  constructor(tape: Float64Array) {
    const n = (this.n = tape[1]);
    this.dim = tape[2];
    const nVars = tape[3];
    this.out = tape[4];
    const varsAt = tape[5];
    this.code = new Int32Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = TAPE_HEADER + TAPE_RECORD * i;
      this.code[i] = tape[r] & 31;
      this.a[i] = tape[r + 1];
      this.b[i] = tape[r + 2];
      this.c[i] = tape[r + 3];
    }
    this.varSlot = Int32Array.from(tape.subarray(varsAt, varsAt + nVars));
    this.v = new Float64Array(n);
    this.adj = new Float64Array(n);
  }

  /** f(x): the forward pass. x has at least `dim` elements (not checked here). */
  value(x: ArrayLike<number>): number {
    const { n, code, a, b, c, v } = this;
    for (let i = 0; i < n; i++) {
      const va = v[a[i]];
      const vb = v[b[i]];
      let r: number;
      switch (code[i]) {
        case Op.CONST:
          r = c[i];
          break;
        case Op.VAR:
          r = x[a[i]];
          break;
        case Op.ADD:
          r = va + vb;
          break;
        case Op.SUB:
          r = va - vb;
          break;
        case Op.MUL:
          r = va * vb;
          break;
        case Op.DIV:
          r = va / vb;
          break;
        case Op.NEG:
          r = -va;
          break;
        case Op.MIN:
          r = Math.min(va, vb);
          break;
        case Op.MAX:
          r = Math.max(va, vb);
          break;
        case Op.ABS:
          r = Math.abs(va);
          break;
        case Op.SIGN:
          r = sgn(va);
          break;
        case Op.SQRT:
          r = Math.sqrt(va);
          break;
        case Op.POWC:
          r = Math.pow(va, c[i]);
          break;
        case Op.POW:
          r = Math.pow(va, vb);
          break;
        case Op.SIN:
          r = Math.sin(va);
          break;
        case Op.COS:
          r = Math.cos(va);
          break;
        case Op.TAN:
          r = Math.tan(va);
          break;
        case Op.ASIN:
          r = Math.asin(va);
          break;
        case Op.ACOS:
          r = Math.acos(va);
          break;
        case Op.ATAN:
          r = Math.atan(va);
          break;
        case Op.SINH:
          r = Math.sinh(va);
          break;
        case Op.COSH:
          r = Math.cosh(va);
          break;
        case Op.TANH:
          r = Math.tanh(va);
          break;
        case Op.EXP:
          r = Math.exp(va);
          break;
        case Op.LOG:
          r = Math.log(va);
          break;
        case Op.LOG2:
          r = Math.log2(va);
          break;
        case Op.LOG10:
          r = Math.log10(va);
          break;
        case Op.CBRT:
          r = Math.cbrt(va);
          break;
        case Op.ATAN2:
          r = Math.atan2(va, vb);
          break;
        case Op.HYPOT:
          r = Math.hypot(va, vb);
          break;
        default:
          throw new Error(`bad opcode ${code[i]} at op ${i}`);
      }
      v[i] = r;
    }
    return v[this.out];
  }

  /** f(x), with ∇f written into grad[0 … dim) (each component stored once). */
  valueAndGrad(x: ArrayLike<number>, grad: GradOut): number {
    const f = this.value(x);
    const { n, code, a, b, c, v, adj } = this;
    adj.fill(0);
    adj[this.out] = 1;
    for (let i = n - 1; i >= 0; i--) {
      const w = adj[i];
      const ia = a[i];
      const ib = b[i];
      const va = v[ia];
      const vb = v[ib];
      switch (code[i]) {
        case Op.CONST:
        case Op.VAR:
        case Op.SIGN:
          break;
        case Op.ADD:
          adj[ia] += w;
          adj[ib] += w;
          break;
        case Op.SUB:
          adj[ia] += w;
          adj[ib] -= w;
          break;
        case Op.MUL:
          adj[ia] += w * vb;
          adj[ib] += w * va;
          break;
        case Op.DIV:
          adj[ia] += w / vb;
          adj[ib] -= (w * v[i]) / vb;
          break;
        case Op.NEG:
          adj[ia] -= w;
          break;
        case Op.MIN:
          if (vb < va) adj[ib] += w;
          else adj[ia] += w;
          break;
        case Op.MAX:
          if (vb > va) adj[ib] += w;
          else adj[ia] += w;
          break;
        case Op.ABS:
          adj[ia] += w * sgn(va);
          break;
        case Op.SQRT:
          adj[ia] += w * (0.5 / v[i]);
          break;
        case Op.POWC:
          adj[ia] += w * (c[i] * Math.pow(va, c[i] - 1));
          break;
        case Op.POW:
          adj[ia] += w * (vb * Math.pow(va, vb - 1));
          if (v[i] !== 0) adj[ib] += w * (v[i] * Math.log(va));
          break;
        case Op.SIN:
          adj[ia] += w * Math.cos(va);
          break;
        case Op.COS:
          adj[ia] -= w * Math.sin(va);
          break;
        case Op.TAN:
          adj[ia] += w * (1 + v[i] * v[i]);
          break;
        case Op.ASIN:
          adj[ia] += w / Math.sqrt(1 - va * va);
          break;
        case Op.ACOS:
          adj[ia] -= w / Math.sqrt(1 - va * va);
          break;
        case Op.ATAN:
          adj[ia] += w / (1 + va * va);
          break;
        case Op.SINH:
          adj[ia] += w * Math.cosh(va);
          break;
        case Op.COSH:
          adj[ia] += w * Math.sinh(va);
          break;
        case Op.TANH:
          adj[ia] += w * (1 - v[i] * v[i]);
          break;
        case Op.EXP:
          adj[ia] += w * v[i];
          break;
        case Op.LOG:
          adj[ia] += w / va;
          break;
        case Op.LOG2:
          adj[ia] += w / (va * Math.LN2);
          break;
        case Op.LOG10:
          adj[ia] += w / (va * Math.LN10);
          break;
        case Op.CBRT:
          adj[ia] += w / (3 * (v[i] * v[i]));
          break;
        case Op.ATAN2: {
          const r = va * va + vb * vb;
          if (r !== 0) {
            adj[ia] += (w * vb) / r;
            adj[ib] -= (w * va) / r;
          }
          break;
        }
        case Op.HYPOT:
          if (v[i] !== 0) {
            adj[ia] += w * (va / v[i]);
            adj[ib] += w * (vb / v[i]);
          }
          break;
        default:
          throw new Error(`bad opcode ${code[i]} at op ${i}`);
      }
    }
    const vs = this.varSlot;
    for (let k = 0; k < this.dim; k++) grad[k] = k < vs.length && vs[k] >= 0 ? adj[vs[k]] : 0;
    return f;
  }
}
