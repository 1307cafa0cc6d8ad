import { Injectable } from '@nestjs/common';
import type { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { PREVIEW_COUNT, previewSchedule, SchedulePreview } from '../schedule';

export interface SchedulePreviewCommand {
  schedule: unknown;
  count?: number | undefined;
}

/**
 * The next occurrences of a schedule before it is saved, so that whoever builds one sees when it
 * would run. Reads and stores nothing of the account; the scope is taken like every use case's.
 */
@Injectable()
export class SchedulePreviewService {
  constructor(private readonly clock: Clock) {}

  preview(_scope: AccountScope, command: SchedulePreviewCommand): SchedulePreview {
    return previewSchedule(command.schedule, command.count ?? PREVIEW_COUNT.default, this.clock.now());
  }
}
