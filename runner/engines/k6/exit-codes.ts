// What k6's exit codes mean (k6 errext/exitcodes), and which of them end a tiergate run well.
// k6's threshold verdict (99) is advice here: the gate that counts is tiergate's, computed
// over every process's samples.

const MEANING: Record<number, string> = {
  0: 'finished',
  97: 'cloud test run failed',
  98: 'cloud progress unavailable',
  99: 'k6 thresholds crossed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'timed out',
  103: 'engine error',
  104: 'invalid configuration',
  105: 'interrupted by a signal',
  106: 'cannot start the REST API (address in use?)',
  107: 'script exception',
  108: 'script aborted (test.abort())',
  109: 'Go panic',
  110: 'test marked as failed (exec.test.fail())',
};

export function k6ExitMeaning(code: number): string {
  return MEANING[code] ?? 'unknown k6 exit code';
}

/** A process that ended with this code delivered its samples; the gate decides the rest. */
export function k6EndedWell(code: number, stoppedByUs: boolean): boolean {
  if (code === 0 || code === 99 || code === 110) return true;
  // SIGINT is how the engine stops k6 early; k6 still flushes its samples and summary.
  return code === 105 && stoppedByUs;
}

export const K6_EXIT_CANNOT_START_API = 106;
