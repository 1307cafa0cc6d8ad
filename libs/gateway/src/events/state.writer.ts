export interface StateWriterOptions<T> {
  /** Persists a whole snapshot; false = the document is gone (stop writing). */
  save(snapshot: T): Promise<boolean>;
  onError(err: unknown): void;
  /** Pause before retrying a failed save. Default 1000 ms. */
  retryMs?: number;
}

/**
 * Keeps the in-memory state of one document and writes it whole, one save at a time, always the
 * latest snapshot: changes that pile up during a save are written together by the next one.
 * With one writer per document this is exactly what FerretDB can do safely (no concurrent
 * updates of the document, no partial updates to lose). A failed save is retried until it
 * succeeds or `close()` is called.
 */
export class StateWriter<T> {
  private dirty = false;
  private writing?: Promise<void>;
  private closed = false;
  private closing = false;
  private gone = false;
  private retryTimer?: NodeJS.Timeout;
  private wakeRetry?: () => void;

  constructor(
    private current: T,
    private readonly options: StateWriterOptions<T>,
  ) {}

  get value(): T {
    return this.current;
  }

  /** Applies a change and schedules a write. */
  update(change: (state: T) => T): void {
    this.current = change(this.current);
    if (this.gone) return;
    this.dirty = true;
    this.kick();
  }

  /** Resolves once the latest snapshot is stored (or the writer gave up). */
  async flush(): Promise<void> {
    this.wakeRetry?.();
    while (this.writing) await this.writing;
  }

  /** Writes the latest snapshot (one more attempt if saves fail), then stops writing. */
  async close(): Promise<void> {
    this.closing = true;
    await this.flush();
    this.closed = true;
  }

  private kick(): void {
    if (this.writing) return;
    const run = this.loop();
    this.writing = run;
    void run.finally(() => {
      if (this.writing !== run) return;
      this.writing = undefined;
      // A change that arrived while the loop was finishing.
      if (this.dirty && !this.closed && !this.gone) this.kick();
    });
  }

  private async loop(): Promise<void> {
    while (this.dirty && !this.closed && !this.gone) {
      this.dirty = false;
      const snapshot = this.current;
      try {
        if (!(await this.options.save(snapshot))) this.gone = true;
      } catch (err) {
        this.options.onError(err);
        if (this.closing) break;
        this.dirty = true;
        await this.pause(this.options.retryMs ?? 1000);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = () => {
        clearTimeout(this.retryTimer);
        this.wakeRetry = undefined;
        resolve();
      };
      this.retryTimer = setTimeout(() => this.wakeRetry?.(), ms);
    });
  }
}
