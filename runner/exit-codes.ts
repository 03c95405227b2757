// The one place outcomes become exit codes (DESIGN.md "Gate and exit codes").
import type { GateStatus } from '../thresholds/model.ts';
import type { RunOutcome } from '../thresholds/result.ts';

export const EXIT = {
  pass: 0,
  fail: 1,
  usage: 2,
  runError: 3,
  inconclusive: 4,
  interrupted: 130,
} as const;

export function exitCodeFor(outcome: RunOutcome, gate: GateStatus, strict: boolean): number {
  switch (outcome.state) {
    case 'aborted':
      return EXIT.fail;
    case 'interrupted':
      return EXIT.interrupted;
    case 'errored':
      return EXIT.runError;
    case 'completed':
      return exitCodeForGate(gate, strict);
  }
}

export function exitCodeForGate(gate: GateStatus, strict: boolean): number {
  switch (gate) {
    case 'pass':
      return EXIT.pass;
    case 'warn':
      return strict ? EXIT.fail : EXIT.pass;
    case 'fail':
      return EXIT.fail;
    case 'inconclusive':
      return EXIT.inconclusive;
  }
}
