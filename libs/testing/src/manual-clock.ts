import { Clock } from '@wwb/runtime';

/** A Clock that moves only when a test sets or advances `ms` (specs of stateful classes). */
export class ManualClock extends Clock {
  constructor(public ms = Date.parse('2026-12-01T10:00:00Z')) {
    super();
  }
  override now(): Date {
    return new Date(this.ms);
  }
  override nowMs(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
