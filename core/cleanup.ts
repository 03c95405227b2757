// Everything a run sets up (workers, child processes, proxies, faults) is pushed here and
// unwound in reverse on every exit path. A failing step does not stop the others; all
// failures are reported together.
export class CleanupStack {
  private readonly steps: { name: string; undo: () => Promise<void> | void }[] = [];
  private unwinding: Promise<void> | undefined;

  push(name: string, undo: () => Promise<void> | void): void {
    this.steps.push({ name, undo });
  }

  /** Runs every step, newest first, once. Throws an AggregateError naming what failed. */
  unwind(): Promise<void> {
    this.unwinding ??= (async () => {
      const failures: Error[] = [];
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.undo();
        } catch (err) {
          failures.push(
            new Error(`cleanup of ${step.name} failed: ${(err as Error).message ?? err}`),
          );
        }
      }
      if (failures.length > 0) {
        throw new AggregateError(failures, failures.map((f) => f.message).join('; '));
      }
    })();
    return this.unwinding;
  }
}
