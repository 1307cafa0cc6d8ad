// Campaign schedules: when a campaign runs (once, cron or RRULE in an IANA zone), pure logic.
export {
  CampaignSchedule,
  EARLIEST_OFFSET_MS,
  LATEST_OFFSET_MS,
  MISFIRE_GRACE_MS,
} from './campaign-schedule.policy';
export type { RunWindow } from './campaign-schedule.policy';
export * from './schedule.dto';
export {
  MIN_OCCURRENCE_GAP_MS,
  ONCE_PAST_TOLERANCE_MS,
  compileSchedule,
  parseSchedule,
} from './schedule.policy';
export { PREVIEW_COUNT, previewSchedule } from './schedule-preview.policy';
export type { PreviewOccurrence, SchedulePreview } from './schedule-preview.policy';
