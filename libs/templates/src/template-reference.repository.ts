import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { TEMPLATE_REF_MODEL, TemplateOwnerKind, TemplateRefRecord } from './template.schema';

export interface TemplateOwner {
  kind: TemplateOwnerKind;
  id: string;
}

/** Which rules, bots and campaigns use which templates (`template_refs`). */
@Injectable()
export class TemplateReferenceRepository {
  constructor(@InjectModel(TEMPLATE_REF_MODEL) private readonly refs: Model<TemplateRefRecord>) {}

  async ready(): Promise<void> {
    await this.refs.init();
  }

  async ofOwner(scope: AccountScope, owner: TemplateOwner): Promise<string[]> {
    const docs = await this.refs
      .find({ accountId: scope.accountId, ownerKind: owner.kind, ownerId: owner.id })
      .lean<TemplateRefRecord[]>()
      .exec();
    return docs.map((d) => d.templateId);
  }

  async ownersOf(scope: AccountScope, templateId: string, limit = 50): Promise<TemplateOwner[]> {
    const docs = await this.refs
      .find({ accountId: scope.accountId, templateId })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<TemplateRefRecord[]>()
      .exec();
    return docs.map((d) => ({ kind: d.ownerKind, id: d.ownerId }));
  }

  /** Inserts one reference; a reference that already exists is left as it is. */
  async add(scope: AccountScope, owner: TemplateOwner, templateId: string, at: Date): Promise<void> {
    const record: TemplateRefRecord = {
      _id: `${scope.accountId}/${owner.kind}/${owner.id}/${templateId}`,
      accountId: scope.accountId,
      ownerKind: owner.kind,
      ownerId: owner.id,
      templateId,
      createdAt: at,
    };
    try {
      await this.refs.collection.insertOne(record as unknown as mongo.Document);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  async remove(scope: AccountScope, owner: TemplateOwner, templateIds?: string[]): Promise<void> {
    const filter: Record<string, unknown> = {
      accountId: scope.accountId,
      ownerKind: owner.kind,
      ownerId: owner.id,
    };
    if (templateIds) filter.templateId = { $in: templateIds };
    await this.refs.deleteMany(filter).exec();
  }
}
