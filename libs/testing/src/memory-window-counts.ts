import type { KeyCount, NodeCounts, WindowCountRepository } from '@wwb/infrastructure';

type Repository = Pick<WindowCountRepository, 'write' | 'read' | 'purgeBefore'>;

/**
 * An in-memory stand-in for WindowCountRepository (the `window_counts` collection), shared by
 * several WindowCounterStores the way API processes share MongoDB. `down = true` makes every
 * call reject, as when the database is unreachable.
 */
export class MemoryWindowCounts implements Repository {
  readonly docs = new Map<string, { scope: string; windowStart: number; node: string; counts: KeyCount[] }>();
  down = false;
  writes = 0;

  async write(scope: string, windowStart: number, node: string, counts: KeyCount[]): Promise<void> {
    this.check();
    this.writes++;
    this.docs.set(`${scope}/${windowStart}/${node}`, { scope, windowStart, node, counts: [...counts] });
  }

  async read(scope: string, windowStart: number): Promise<NodeCounts[]> {
    this.check();
    return [...this.docs.values()]
      .filter((d) => d.scope === scope && d.windowStart === windowStart)
      .map((d) => ({ node: d.node, counts: d.counts }));
  }

  async purgeBefore(scope: string, windowStart: number): Promise<number> {
    this.check();
    let removed = 0;
    for (const [id, d] of this.docs) {
      if (d.scope === scope && d.windowStart < windowStart) {
        this.docs.delete(id);
        removed++;
      }
    }
    return removed;
  }

  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
  }
}
