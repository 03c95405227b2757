#!/usr/bin/env node
// From a clone: run the TypeScript sources through tsx (a dev dependency). The installed
// package's bin is the compiled dist/bin/tiergate.js, which needs no transpiler.
import { register } from 'tsx/esm/api';

register();
await import('./tiergate.ts');
