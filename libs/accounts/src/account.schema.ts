import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PLAN_NAMES, PlanName } from './plans/plan.value-object';

/**
 * An account (tenant). Usage (keys, connections) is not a counter on this document but the
 * number of plan slots it holds (see plan-slot.schema.ts): FerretDB loses concurrent updates of
 * one document, so nothing that changes concurrently lives here. Only the operator writes it.
 */
@Schema({ collection: 'accounts', versionKey: false })
export class AccountDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: PLAN_NAMES })
  plan!: PlanName;

  @Prop({ type: Boolean, required: true, default: false })
  disabled!: boolean;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const AccountSchema = SchemaFactory.createForClass(AccountDoc);

/** An account as read from the store (plain object). */
export interface AccountRecord {
  _id: string;
  name: string;
  plan: PlanName;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}
