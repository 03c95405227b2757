#!/usr/bin/env node
// The CLI is TypeScript: register tsx's loader, then hand over to runner/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runner/cli/main.ts');
process.exitCode = await main(process.argv);
