import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { emptyPacerState, PacerState } from '../pacing';
import { CONNECTION_PACER_MODEL, ConnectionPacerRecord } from '../runs/campaign-run.schema';

export interface StoredPacer {
  state: PacerState;
  /** When this connection first sent a campaign message (its warm-up age counts from then). */
  since: Date;
}

/**
 * A connection's pacer state, written only by the gateway running the connection (one writer:
 * the gateway that owns its commands partition), read back by the next owner after a hand-over.
 */
@Injectable()
export class ConnectionPacerRepository {
  constructor(@InjectModel(CONNECTION_PACER_MODEL) private readonly pacers: Model<ConnectionPacerRecord>) {}

  async load(connectionId: string, now: Date): Promise<StoredPacer> {
    const row = await this.pacers.findOne({ _id: connectionId }).lean<ConnectionPacerRecord>().exec();
    if (!row) return { state: emptyPacerState(), since: now };
    const { since, ...state } = row.state as unknown as PacerState & { since?: string };
    return { state: state as PacerState, since: since ? new Date(since) : row.updatedAt };
  }

  async save(connectionId: string, pacer: StoredPacer, now: Date): Promise<void> {
    const state = { ...pacer.state, since: pacer.since.toISOString() };
    await this.pacers
      .replaceOne({ _id: connectionId }, { _id: connectionId, state, updatedAt: now }, { upsert: true })
      .exec();
  }
}
