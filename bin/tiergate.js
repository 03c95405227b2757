#!/usr/bin/env node
// The CLI is TypeScript: register tsx's loader, then hand over to runner/cli/main.ts, which
// ends the process with the command's exit code.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../runner/cli/main.ts');
await runCli(process.argv);
