/** One handled range of a partition, waiting for its effect to become durable (or already there). */
interface Entry {
  first: bigint;
  last: bigint;
  state: 'pending' | 'done';
}

interface PartitionTrack {
  entries: Entry[];
  /** Next offset to read: everything before it is durable. */
  committable?: bigint;
  /** What takeCommittable() last returned for this partition. */
  reported?: bigint;
  /** Bumped when the partition's entries are dropped: older promises then report into the void. */
  epoch: number;
  /**
   * After a failure: the offset the partition is re-read from. Ranges starting after it (the
   * tail of a batch that was in flight) are not tracked until the re-read reaches them.
   */
  resumeAt?: bigint;
}

/** A partition whose durable step failed: re-read it from `offset`. */
export interface DeferredFailure {
  partition: number;
  offset: string;
  error: unknown;
}

/**
 * Offset bookkeeping of a consumer whose handlers finish their durable work after they return
 * (`deferredCommits`): the runner moves on to the next messages at once, and an offset becomes
 * committable only when every range up to it is durable, in partition order. A failed range
 * drops itself and everything after it (the caller re-reads the partition from its first
 * offset); a new group generation drops everything (its fetch starts from the committed offset).
 */
export class DeferredCommits {
  private readonly partitions = new Map<number, PartitionTrack>();
  private pendingCount = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly onFailure: (failure: DeferredFailure) => void) {}

  /** Ranges handled but not yet durable. */
  get pending(): number {
    return this.pendingCount;
  }

  /** A range handled with nothing left to wait for. Returns false if it is not tracked (see resumeAt). */
  done(partition: number, firstOffset: string, lastOffset: string): boolean {
    const entry: Entry = { first: BigInt(firstOffset), last: BigInt(lastOffset), state: 'done' };
    return this.admit(this.track(partition), entry);
  }

  /**
   * A range whose effect is durable once `durable` resolves. If it rejects, the range and every
   * later one of the partition are dropped and `onFailure` says where to re-read from.
   */
  defer(partition: number, firstOffset: string, lastOffset: string, durable: Promise<unknown>): boolean {
    const track = this.track(partition);
    const entry: Entry = { first: BigInt(firstOffset), last: BigInt(lastOffset), state: 'pending' };
    this.pendingCount++;
    const tracked = this.admit(track, entry);
    const epoch = track.epoch;
    durable.then(
      () => {
        this.settled();
        if (!tracked || this.partitions.get(partition) !== track || track.epoch !== epoch) return;
        entry.state = 'done';
      },
      (error: unknown) => {
        this.settled();
        if (!tracked || this.partitions.get(partition) !== track || track.epoch !== epoch) return;
        const i = track.entries.indexOf(entry);
        if (i >= 0) track.entries.length = i;
        track.epoch++;
        track.resumeAt = entry.first;
        this.onFailure({ partition, offset: entry.first.toString(), error });
      },
    );
    return tracked;
  }

  private admit(track: PartitionTrack, entry: Entry): boolean {
    if (track.resumeAt !== undefined) {
      if (entry.first > track.resumeAt) return false;
      track.resumeAt = undefined;
    }
    track.entries.push(entry);
    return true;
  }

  /**
   * Per partition, the offset to commit (the next one to read) if it moved since the last call:
   * the end of the leading run of durable ranges.
   */
  takeCommittable(): { partition: number; offset: string }[] {
    const out: { partition: number; offset: string }[] = [];
    for (const [partition, track] of this.partitions) {
      let n = 0;
      while (n < track.entries.length && track.entries[n]!.state === 'done') {
        track.committable = track.entries[n]!.last + 1n;
        n++;
      }
      if (n > 0) track.entries.splice(0, n);
      if (track.committable !== undefined && track.committable !== track.reported) {
        track.reported = track.committable;
        out.push({ partition, offset: track.committable.toString() });
      }
    }
    return out;
  }

  /** The commit of what takeCommittable() returned failed: report those offsets again next time. */
  commitFailed(offsets: { partition: number }[]): void {
    for (const { partition } of offsets) {
      const track = this.partitions.get(partition);
      if (track) track.reported = undefined;
    }
  }

  /** Forgets every partition (a new group generation, or the consumer stopped). */
  reset(): void {
    for (const track of this.partitions.values()) track.epoch++;
    this.partitions.clear();
  }

  /** Resolves once no range is pending (or at once if none is). */
  idle(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private track(partition: number): PartitionTrack {
    let track = this.partitions.get(partition);
    if (!track) {
      track = { entries: [], epoch: 0 };
      this.partitions.set(partition, track);
    }
    return track;
  }

  private settled(): void {
    this.pendingCount--;
    if (this.pendingCount === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }
}
