import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ReplayCursorRepository } from './replay-cursor.repository';
import { ReplayCursorSchema, WEBHOOK_REPLAY_CURSOR_MODEL } from './replay-cursor.schema';

/** The replay positions the workers' WebhookJobsRunner keeps (`webhook_replay_cursors`). */
@Module({
  imports: [MongooseModule.forFeature([{ name: WEBHOOK_REPLAY_CURSOR_MODEL, schema: ReplayCursorSchema }])],
  providers: [ReplayCursorRepository],
  exports: [ReplayCursorRepository],
})
export class ReplayCursorsModule {}
