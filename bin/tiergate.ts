#!/usr/bin/env node
// The executable: runner/cli/main.ts ends the process with the command's exit code. The
// package runs its compiled form, dist/bin/tiergate.js; a clone runs it through bin/tiergate.js.
import { runCli } from '../runner/cli/main.ts';

await runCli(process.argv);
