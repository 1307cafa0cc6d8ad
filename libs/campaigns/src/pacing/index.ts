export { DEFAULT_PACING, PACING_LIMITS, effectiveDailyCap, parsePacing } from './pacing.policy';
export type { FrequencyCap, PacingSettings, QuietHours } from './pacing.policy';
export { deferForQuietHours, isQuietAt, localDayKey, nextLocalDayStart } from './quiet-hours.policy';
export { frequencyCapAllows, nextAllowedAt } from './frequency-cap.policy';
export { ConnectionPacer, emptyPacerState } from './connection-pacer.store';
export type { PaceContext, PacerState, PacerUsage } from './connection-pacer.store';
