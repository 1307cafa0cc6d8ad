import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Clock } from '@wwb/runtime';
import { KeyCount, WINDOW_COUNT_MODEL, WindowCountRecord } from './window-count.schema';

/** The counts one process published for a window. */
export interface NodeCounts {
  node: string;
  counts: KeyCount[];
}

/**
 * The `window_counts` collection: one document per (scope, window, process), written only by
 * that process. A scope's live documents are few (processes x two windows), so reading a
 * window's documents stays cheap even where the filter is a scan (FerretDB 1.24).
 */
@Injectable()
export class WindowCountRepository {
  constructor(
    @InjectModel(WINDOW_COUNT_MODEL) private readonly model: Model<WindowCountRecord>,
    private readonly clock: Clock,
  ) {}

  /** Replaces what `node` counted in the window (its own document: one writer). */
  async write(scope: string, windowStart: number, node: string, counts: KeyCount[]): Promise<void> {
    const _id = `${scope}/${windowStart}/${node}`;
    const doc: WindowCountRecord = {
      _id,
      scope,
      windowStart,
      node,
      keys: counts.map(([key]) => key),
      counts: counts.map(([, n]) => n),
      writtenAt: this.clock.now(),
    };
    await this.model.replaceOne({ _id }, doc, { upsert: true }).exec();
  }

  /** What every process published for the window. */
  async read(scope: string, windowStart: number): Promise<NodeCounts[]> {
    const docs = await this.model
      .find({ scope, windowStart }, { _id: 0, node: 1, keys: 1, counts: 1 })
      .lean<Pick<WindowCountRecord, 'node' | 'keys' | 'counts'>[]>()
      .exec();
    return docs.map((d) => ({
      node: d.node,
      counts: d.keys.map((key, i): KeyCount => [key, d.counts[i] ?? 0]),
    }));
  }

  /**
   * Deletes the scope's windows that started before `windowStart` (no TTL index: FerretDB has
   * none). Racing sweepers delete the same dead documents: harmless.
   */
  async purgeBefore(scope: string, windowStart: number): Promise<number> {
    const res = await this.model.deleteMany({ scope, windowStart: { $lt: windowStart } }).exec();
    return res.deletedCount;
  }
}
