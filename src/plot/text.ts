/**
 * Text measurement for layout, without a DOM: advance widths of DejaVu Sans
 * (the font `export.ts` bundles and every figure names), in thousandths of an
 * em, read from DejaVuSans.ttf / DejaVuSans-Bold.ttf 2.37 (hmtx via cmap).
 * No kerning, so results are within a few percent of the rendered width.
 */

// ASCII 32..126.
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
  531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390,
  838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337,
  636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838,
  580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457,
  838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365,
  712, 838,
];
// A few non-ASCII characters the figures use (regular; bold is close enough).
const EXTRA: Record<string, number> = {
  "−": 838,
  "✕": 838,
  "★": 896,
  "×": 838,
  "·": 318,
  "–": 500,
  "—": 1000,
  "²": 401,
  "³": 401,
  "⁻": 528,
  "⁰": 401,
  "¹": 401,
  "⁴": 401,
  "⁵": 401,
  "⁶": 401,
  "⁷": 401,
  "⁸": 401,
  "⁹": 401,
  α: 659,
  β: 638,
  γ: 592,
  ε: 541,
  η: 634,
  μ: 636,
  ρ: 635,
  σ: 634,
  θ: 612,
  λ: 592,
  "∇": 669,
  "≤": 838,
  "≥": 838,
  "∞": 833,
  "…": 1000,
  "°": 500,
};

/** Approximate rendered width in px of `s` in DejaVu Sans at `size` px. */
export function textWidth(s: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c <= 126) w += table[c - 32];
    else w += EXTRA[ch] ?? 640;
  }
  return (w / 1000) * size;
}
