// The exit codes of every command (DESIGN.md "Gate and exit codes"); thresholds/exit-code.ts
// maps an outcome and a gate onto them.

export const EXIT = {
  pass: 0,
  fail: 1,
  usage: 2,
  runError: 3,
  inconclusive: 4,
  interrupted: 130,
} as const;
