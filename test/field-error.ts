// Shared by the test suites: what field error a call throws.
import { isFieldError } from "../src/errors.js";

/** The field error `f` throws (its class name, field and message); anything else, or nothing, fails the test. */
export function fieldOf(f: () => unknown): { kind: string; field: string; message: string } {
  try {
    f();
  } catch (e) {
    if (!isFieldError(e)) throw e;
    return { kind: e.constructor.name, field: e.field, message: e.message };
  }
  throw new Error("expected a field error, nothing was thrown");
}
