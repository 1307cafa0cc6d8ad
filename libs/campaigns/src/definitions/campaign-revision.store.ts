import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ClaimRecord, ClaimStore, HeldClaim } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { CAMPAIGN_REVISION_CLAIM_MODEL } from './campaign.schema';

/**
 * How long a claim keeps others from writing after revision N. A write takes milliseconds; after
 * this the claimant is presumed dead and the next request may take over.
 */
export const REVISION_CLAIM_LEASE_MS = 10_000;

const keyOf = (campaignId: string, revision: number): string => `${campaignId}/r${revision}`;

/** A request's right to write revision `revision + 1` of a campaign. */
export interface RevisionClaim {
  campaignId: string;
  revision: number;
  held: HeldClaim;
}

/**
 * The right to write a campaign's revision N+1 over revision N, given to one request at a time
 * (ClaimStore from @wwb/infrastructure: a unique insert per revision). The update itself stays
 * conditioned on revision N; the claim only makes that condition hold on FerretDB, which would
 * let every request that read N match it.
 */
@Injectable()
export class CampaignRevisionStore implements OnModuleInit {
  private readonly claims: ClaimStore;

  constructor(
    @InjectModel(CAMPAIGN_REVISION_CLAIM_MODEL) private readonly model: Model<ClaimRecord>,
    clock: Clock,
    ids: IdGenerator,
    logger: AppLogger,
  ) {
    this.claims = new ClaimStore(model, clock, ids, logger.child({ context: 'CampaignRevisionStore' }));
  }

  async onModuleInit(): Promise<void> {
    await this.claims.ensureIndexes();
  }

  /** The claim on writing after `revision`, or null when another request has it or had it. */
  async begin(campaignId: string, revision: number): Promise<RevisionClaim | null> {
    const outcome = await this.claims.claim(keyOf(campaignId, revision), REVISION_CLAIM_LEASE_MS);
    return outcome.kind === 'owned' ? { campaignId, revision, held: outcome.claim } : null;
  }

  /**
   * The revision was written: the claim is spent. The claims of the revision before are dropped
   * (a request still holding that revision fails its conditional update anyway), so a campaign
   * keeps about two of them however often it changes.
   */
  async finish(claim: RevisionClaim): Promise<void> {
    await this.claims.complete(claim.held, REVISION_CLAIM_LEASE_MS);
    if (claim.revision > 1) {
      await this.model.deleteMany({ key: keyOf(claim.campaignId, claim.revision - 1) }).exec();
    }
  }

  /** Nothing was written: the next request may claim the same revision at once. */
  async abandon(claim: RevisionClaim): Promise<void> {
    await this.claims.release(claim.held);
  }

  /** Drops every claim of a deleted campaign (they are only needed while it exists). */
  async forget(campaignId: string): Promise<void> {
    const prefix = `${campaignId}/r`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await this.model.deleteMany({ key: { $regex: `^${prefix}` } }).exec();
  }
}
