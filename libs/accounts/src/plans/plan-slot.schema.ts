import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { LimitedResource } from './plan.value-object';

/**
 * One unit of a plan-limited resource held by an account: `_id` = `<accountId>/<resource>/<slot>`.
 * For a limited plan the slots are `n0` … `n<limit-1>`, so the unique `_id` alone makes it
 * impossible to hold more than the limit, whatever the concurrency. An unlimited plan uses
 * `h-<holderId>`. A unique insert is atomic on MongoDB and on FerretDB alike (a conditional
 * `$inc` is not atomic on FerretDB 1.24: concurrent updates of one document are lost there).
 */
@Schema({ collection: 'plan_slots', versionKey: false })
export class PlanSlotDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  resource!: LimitedResource;

  @Prop({ type: String, required: true })
  slot!: string;

  /** The key or connection holding the slot. */
  @Prop({ type: String, required: true })
  holderId!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const PlanSlotSchema = SchemaFactory.createForClass(PlanSlotDoc);
PlanSlotSchema.index({ accountId: 1, resource: 1, holderId: 1 });

export interface PlanSlotRecord {
  _id: string;
  accountId: string;
  resource: LimitedResource;
  slot: string;
  holderId: string;
  createdAt: Date;
}
