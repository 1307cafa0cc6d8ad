import * as consoleHours from '../../../../apps/console/src/auto-replies/business-hours-form.mapper';
import * as consoleForm from '../../../../apps/console/src/auto-replies/rule-form.mapper';
import { MAX_HOLIDAYS, MAX_RANGES_PER_DAY } from './business-hours.policy';
import { ACTION_TYPES, CONDITION_TYPES, TAG_OPS, TEXT_OPS, WEEKDAYS } from './rule.model';

/**
 * The console's rule editor offers the rule vocabulary as fixed lists. They must name what the
 * API accepts, or the editor offers a choice the API refuses (or misses a new one).
 */
describe('the console rule editor offers the API rule vocabulary', () => {
  it.each([
    ['condition types', consoleForm.CONDITION_TYPES, CONDITION_TYPES],
    ['action types', consoleForm.ACTION_TYPES, ACTION_TYPES],
    ['text operators', consoleForm.TEXT_OPS, TEXT_OPS],
    ['tag operators', consoleForm.TAG_OPS, TAG_OPS],
    ['business-hours weekdays', consoleHours.WEEKDAYS, WEEKDAYS],
  ])('%s', (_name, offered, accepted) => {
    expect([...offered].sort()).toEqual([...accepted].sort());
  });

  it('business-hours limits', () => {
    expect(consoleHours.MAX_RANGES_PER_DAY).toBe(MAX_RANGES_PER_DAY);
    expect(consoleHours.MAX_HOLIDAYS).toBe(MAX_HOLIDAYS);
  });
});
