/**
 * The lab's formula box: the text checked at every key (the fault named
 * under the box, its column marked in a copy of the text), a formula that
 * compiles raced after a short pause, and its minima and window fields.
 * Validation is the library's (formulaFault in ./state.ts).
 */
import { markInvalid } from "./editors.js";
import { DEFAULT_FORMULA, domainText, formulaFault, minimaText, parseDomain, parseMinima, type LabFormula, type LabState } from "./state.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export interface FormulaBoxHooks {
  state(): LabState;
  notice(msg: string | null): void;
  /** Takes a valid formula into the state and reruns the race. */
  commit(f: LabFormula): void;
}

export function initFormulaBox(hooks: FormulaBoxHooks) {
  /** The formula last taken (kept when another function is picked, so coming back restores it). */
  let lastFormula: LabFormula = { expr: DEFAULT_FORMULA, minima: [] };
  const current = (): LabFormula | undefined => {
    const s = hooks.state();
    return s.fn.name === "expr" ? s.fn.formula : undefined;
  };

  /** The formula's fields from the state, every mark cleared (the state's formula is valid). */
  function showFormula(f: LabFormula) {
    $<HTMLInputElement>("expr").value = f.expr;
    $<HTMLInputElement>("expr-minima").value = minimaText(f.minima);
    $<HTMLInputElement>("expr-domain").value = domainText(f.domain);
    for (const id of ["expr-minima", "expr-domain"]) markInvalid($(id), false);
    markFormula(f.expr, undefined);
  }

  /**
   * Shows a fault of the formula box: the message, and the text again with the
   * character at the fault's column marked (or a mark past the end when the
   * formula stops too early); nothing when `fault` is undefined.
   */
  function markFormula(text: string, fault: { message: string; column: number | undefined } | undefined) {
    const input = $<HTMLInputElement>("expr");
    const echo = $("expr-echo");
    markInvalid(input, fault !== undefined);
    input.setCustomValidity(fault ? fault.message : "");
    $("expr-msg").textContent = fault ? fault.message.replace(/^expr: /, "") : "";
    echo.replaceChildren();
    echo.hidden = !fault || fault.column === undefined;
    if (!fault || fault.column === undefined) return;
    const at = fault.column - 1;
    const mark = document.createElement("mark");
    mark.textContent = at < text.length ? text[at] : " ";
    if (at >= text.length) mark.className = "end";
    // Long formulas: the 40 characters either side of the fault.
    const from = Math.max(0, at - 40);
    const to = Math.min(text.length, at + 41);
    echo.append((from > 0 ? "…" : "") + text.slice(from, at), mark, text.slice(at + 1, to) + (to < text.length ? "…" : ""));
    echo.dataset.column = String(fault.column);
  }

  let formulaTimer = 0;

  /** The formula box at every key: marked at once; a formula that compiles is raced after a short pause. */
  function formulaInput(commitNow: boolean) {
    const cur = current();
    if (!cur) return;
    const text = $<HTMLInputElement>("expr").value;
    const next: LabFormula = { ...cur, expr: text };
    const fault = formulaFault(next);
    markFormula(text, fault);
    clearTimeout(formulaTimer);
    if (fault || text === cur.expr) return;
    const commit = () => setFormula(next);
    if (commitNow) commit();
    else formulaTimer = window.setTimeout(commit, 300);
  }

  function setFormula(f: LabFormula) {
    lastFormula = f;
    hooks.commit(f);
  }

  /** Minima or window edited: parsed, checked with the formula, then taken (or marked). */
  function formulaExtraChanged(id: "expr-minima" | "expr-domain") {
    const cur = current();
    if (!cur) return;
    const input = $<HTMLInputElement>(id);
    let next: LabFormula;
    try {
      next = id === "expr-minima" ? { ...cur, minima: parseMinima(input.value) } : { ...cur, domain: parseDomain(input.value) };
      const fault = formulaFault(next);
      if (fault) throw new Error(fault.message);
    } catch (err) {
      markInvalid(input, true);
      hooks.notice(`${(err as Error).message}; the last good value is still used.`);
      return;
    }
    markInvalid(input, false);
    hooks.notice(null);
    setFormula(next);
  }

  $("expr").addEventListener("input", () => formulaInput(false));
  $("expr").addEventListener("change", () => formulaInput(true));
  $("expr-minima").addEventListener("change", () => formulaExtraChanged("expr-minima"));
  $("expr-domain").addEventListener("change", () => formulaExtraChanged("expr-domain"));

  return {
    /** Fills the box from a (valid) formula of the state. */
    show(f: LabFormula) {
      lastFormula = f;
      showFormula(f);
    },
    /** The formula to offer when "formula" is picked again. */
    last: (): LabFormula => lastFormula,
  };
}
