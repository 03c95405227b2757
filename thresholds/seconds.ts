// Windows are cut from a per-second timeline: a window whose edges fall at fractional event
// times (a fault injected at 8.05 s) takes only the whole seconds that lie entirely inside it,
// so no second that straddles a fault's start or end counts for either side. Rates over a
// window divide by those seconds.

/** The seconds [first, end) of the timeline a window [startS, endS) covers. */
export function windowSeconds(startS: number, endS: number): { first: number; end: number } {
  const first = Math.max(0, Math.ceil(startS - 1e-9));
  return { first, end: Math.max(first, Math.floor(endS + 1e-9)) };
}

/** Seconds of the run that no window but `whole` covers. */
export interface WindowGap {
  /** `before steady`, `steady→chaos`, `after recovery`: named by the windows around it. */
  name: string;
  startS: number;
  endS: number;
}

/**
 * The runs of whole seconds inside `whole` that no other window covers, in time order. Every
 * request counts in the second of its intended send, so each is in exactly one window or one
 * of these gaps, and reports show the gaps: a request outside every window is judged only by
 * the `whole` objectives, never silently.
 */
export function windowGaps(
  windows: Partial<Record<string, { startS: number; endS: number }>>,
): WindowGap[] {
  const whole = windows.whole;
  if (whole === undefined) return [];
  const { first, end } = windowSeconds(whole.startS, whole.endS);
  const spans = Object.entries(windows)
    .filter(([name]) => name !== 'whole')
    .map(([name, b]) => ({ name, ...windowSeconds(b!.startS, b!.endS) }))
    .filter((s) => s.end > s.first)
    .sort((a, b) => a.first - b.first);
  // A run with no window but `whole` has every request in it.
  if (spans.length === 0) return [];
  const gaps: WindowGap[] = [];
  const gap = (startS: number, endS: number, before?: string, after?: string) => {
    if (endS <= startS) return;
    const name =
      before === undefined
        ? `before ${after}`
        : after === undefined
          ? `after ${before}`
          : `${before}→${after}`;
    gaps.push({ name, startS, endS });
  };
  let at = first;
  let previous: string | undefined;
  for (const s of spans) {
    gap(at, Math.min(s.first, end), previous, s.name);
    at = Math.max(at, s.end);
    previous = s.name;
  }
  gap(at, end, previous);
  return gaps;
}
