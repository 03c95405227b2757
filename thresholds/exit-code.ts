// The one place outcomes become exit codes (DESIGN.md "Gate and exit codes").
import { EXIT } from '../core/exit-codes.ts';
import type { GateStatus } from './model.ts';
import type { RunOutcome } from './result.ts';

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
