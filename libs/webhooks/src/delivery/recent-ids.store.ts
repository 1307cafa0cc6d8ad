/**
 * Ids seen lately. Two generations instead of a timestamp per id: forgetting drops the older
 * generation whole, so an id is kept for at least `memoryMs` (and until newer ids push it out)
 * at no cost per id.
 */
export class RecentIdsStore {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotatedAtMs = 0;

  constructor(private readonly memoryMs: number) {}

  add(id: string, nowMs: number): void {
    if (nowMs - this.rotatedAtMs > this.memoryMs) {
      this.previous = this.current;
      this.current = new Set();
      this.rotatedAtMs = nowMs;
    }
    this.current.add(id);
  }

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }
}
