import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuotaSlotRepository } from './quota-slot.repository';
import { QUOTA_SLOT_MODEL, QuotaSlotSchema } from './quota-slot.schema';
import { ExternalHoldsStore } from './external-holds.store';
import { SlotPicker } from './slot-picker';
import { UsageCounterRepository } from './usage-counter.repository';
import { USAGE_COUNTER_MODEL, UsageCounterSchema } from './usage-counter.schema';

/**
 * `quota_slots` and `usage_counters`: what per-account limits are enforced and counted with, in
 * any process role (the API takes slots, a gateway gives a pending message's slot back, a worker
 * reaps and reconciles). Needs the global RuntimeModule and PersistenceModule.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: QUOTA_SLOT_MODEL, schema: QuotaSlotSchema },
      { name: USAGE_COUNTER_MODEL, schema: UsageCounterSchema },
    ]),
  ],
  providers: [QuotaSlotRepository, UsageCounterRepository, SlotPicker, ExternalHoldsStore],
  exports: [QuotaSlotRepository, UsageCounterRepository, SlotPicker, ExternalHoldsStore],
})
export class QuotasModule {}
