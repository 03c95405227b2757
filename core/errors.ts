// The errors a user can fix. Each carries its exit code (DESIGN.md "Gate and exit codes"); the
// CLI prints the one-line message (and the hint, if any) without a stack trace.

export class TiergateError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad command line: unknown flag value, unknown roadmap or tier, … Nothing was run. */
export class UsageError extends TiergateError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
  }
}

/** One problem found in a configuration file. */
export interface ConfigIssue {
  /** Field path such as `roadmaps[0].tiers[1].objectives[2]`; empty for the file as a whole. */
  path: string;
  /** The offending value as the user wrote it (absent for missing fields). */
  value?: unknown;
  /** What is wrong, e.g. `is not a duration`. */
  problem: string;
  /** What is allowed, or how to fix it, e.g. `use e.g. 30s, 5m, 1h`. */
  allowed?: string;
  /** 1-based position in the file, when the file format tells it (YAML, JSON). */
  line?: number;
  column?: number;
}

/**
 * An invalid configuration file (exit 2). `path`, `value` and `allowed` describe the first
 * issue; `issues` holds every one found. The message has one line per issue.
 */
export class ConfigError extends TiergateError {
  readonly file: string;
  readonly path: string;
  readonly value: unknown;
  readonly allowed: string | undefined;
  readonly issues: ConfigIssue[];

  constructor(message: string, file: string, issues: ConfigIssue[], hint?: string) {
    super(message, 2, hint);
    this.file = file;
    this.issues = issues;
    const first = issues[0];
    this.path = first?.path ?? '';
    this.value = first?.value;
    this.allowed = first?.allowed;
  }
}

/** The run could not complete: target unreachable, engine crashed, chaos recovery unverified. */
export class RunError extends TiergateError {
  constructor(message: string, hint?: string) {
    super(message, 3, hint);
  }
}
