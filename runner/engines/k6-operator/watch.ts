// Follows a set of objects as client-go's informers do: a list, then a watch from the list's
// resourceVersion, so every change is seen, a DELETED event's last state included, even when the
// object is gone before anyone reads it. A watch that ends or fails is followed by a fresh
// list and watch; an object missing from that list counts as deleted, in its last state seen.
import { type KubeConfig, Watch } from '@kubernetes/client-node';

export type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Meta {
  metadata?: { name?: string; resourceVersion?: string };
}

export interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WatchSource<T> {
  /** The collection's API path, e.g. `/apis/batch/v1/namespaces/load/jobs`. */
  path: string;
  selector: { labelSelector?: string; fieldSelector?: string };
  /** The same collection and selector, listed. */
  list: () => Promise<Listed<T>>;
  /** The server ends each watch after this long (default 300 s), then it is listed again. */
  timeoutS?: number;
}

const RETRY_MS = 1000;

export class ListWatch<T extends Meta> {
  private readonly known = new Map<string, T>();
  private abort: AbortController | undefined;
  private stopped = false;
  /** The last list or watch error, while the watch is being re-established. */
  lastError: Error | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly source: WatchSource<T>,
    private readonly seen: (change: Change, object: T) => void,
  ) {}

  /** The first list (its error is thrown), then a watch in the background. */
  async start(): Promise<void> {
    this.watch(await this.relist());
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private async relist(): Promise<string> {
    const listed = await this.source.list();
    const names = new Set<string>();
    for (const item of listed.items) {
      names.add(nameOf(item));
      this.apply(this.known.has(nameOf(item)) ? 'MODIFIED' : 'ADDED', item);
    }
    for (const [name, last] of this.known) if (!names.has(name)) this.apply('DELETED', last);
    return listed.metadata?.resourceVersion ?? '';
  }

  private apply(change: Change, object: T): void {
    if (change === 'DELETED') this.known.delete(nameOf(object));
    else this.known.set(nameOf(object), object);
    this.seen(change, object);
  }

  private watch(resourceVersion: string): void {
    let ended = false;
    const end = (err: unknown) => {
      if (ended || this.stopped) return;
      ended = true;
      this.abort?.abort();
      if (err) this.lastError = err instanceof Error ? err : new Error(String(err));
      setTimeout(() => this.restart(), err ? RETRY_MS : 0).unref();
    };
    // Bounded, as client-go's reflector does: a connection that died silently is replaced.
    const query = {
      ...this.source.selector,
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.source.timeoutS ?? 300,
    };
    new Watch(this.kc)
      .watch(
        this.source.path,
        query,
        (type: string, object: T & { message?: string }) => {
          if (ended) return;
          // ERROR: e.g. 410 Gone, the resourceVersion is too old to watch from: list again.
          if (type === 'ERROR') end(new Error(`watch ${this.source.path}: ${object.message}`));
          else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            this.apply(type, object);
          }
        },
        end,
      )
      .then((abort) => {
        this.abort = abort;
        if (this.stopped || ended) abort.abort();
      }, end);
  }

  private restart(): void {
    if (this.stopped) return;
    this.relist().then(
      (rv) => {
        this.lastError = undefined;
        this.watch(rv);
      },
      (err: Error) => {
        this.lastError = err;
        setTimeout(() => this.restart(), RETRY_MS).unref();
      },
    );
  }
}

function nameOf(object: Meta): string {
  return object.metadata?.name ?? '';
}
