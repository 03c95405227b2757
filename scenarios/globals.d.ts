// Globals k6's runtime has that @types/k6 does not declare.

interface K6Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}

declare const console: K6Console;

// k6 has no `URL`. thresholds/plan.ts names it in planAdhoc, which only Node calls; this
// declaration lets that shared file type-check here. Scenario code must not use URL.
declare class URL {
  constructor(url: string, base?: string);
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
}
