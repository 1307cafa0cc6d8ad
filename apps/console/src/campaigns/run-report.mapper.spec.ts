import type { RunReport } from './campaign.dto';
import {
  analyticsRange,
  dayIn,
  funnelOf,
  handledShare,
  label,
  parseProgress,
  progressOfReport,
} from './run-report.mapper';

const report = {
  id: 'run_1',
  state: 'completed',
  counts: { pending: 0, skipped: 1, queued: 0, sent: 1, delivered: 2, read: 3, failed: 1, unknown: 0 },
} as unknown as RunReport;

describe('run report', () => {
  it('counts each recipient in every funnel stage it reached', () => {
    expect(funnelOf(report, 2)).toEqual([
      { stage: 'Targeted', count: 8 },
      { stage: 'Sent', count: 6 },
      { stage: 'Delivered', count: 5 },
      { stage: 'Read', count: 3 },
      { stage: 'Replied', count: 2 },
    ]);
    expect(funnelOf(report, null).map((s) => s.stage)).not.toContain('Replied');
  });

  it('reads progress events and refuses what is not one', () => {
    const ok = { runId: 'r', state: 'running', targeted: 4, skipped: 1, sent: 1, failed: 0, remaining: 2 };
    expect(parseProgress(JSON.stringify(ok))).toEqual(ok);
    expect(parseProgress('not json')).toBeNull();
    expect(parseProgress(JSON.stringify({ ...ok, sent: -1 }))).toBeNull();
    expect(handledShare(ok)).toBe(0.5);
    expect(handledShare({ ...ok, targeted: 0, remaining: 0, state: 'completed' })).toBe(1);
    expect(progressOfReport(report)).toEqual({
      runId: 'run_1',
      state: 'completed',
      targeted: 8,
      skipped: 1,
      sent: 6,
      failed: 1,
      remaining: 0,
    });
  });

  it('asks analytics for the days since the run, in the viewer zone, at most 366 of them', () => {
    const now = new Date('2026-12-10T03:00:00Z');
    expect(dayIn(now, 'America/New_York')).toBe('2026-12-09');
    expect(analyticsRange('2026-12-08T12:00:00Z', now, 'UTC')).toEqual({
      from: '2026-12-08',
      to: '2026-12-10',
      timeZone: 'UTC',
    });
    expect(analyticsRange('2020-01-01T00:00:00Z', now, 'UTC').from).toBe('2025-12-10');
    expect(analyticsRange('2026-12-10T01:00:00Z', now, 'UTC', 30).from).toBe('2026-11-11');
    expect(label('run_once')).toBe('Run once');
  });
});
