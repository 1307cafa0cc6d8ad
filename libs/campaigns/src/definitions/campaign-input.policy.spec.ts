import { DomainError } from '@wwb/runtime';
import {
  CAMPAIGN_LIMITS,
  checkAudience,
  checkConnectionIds,
  checkName,
  checkVariables,
  stateAfter,
  withinReach,
} from './campaign-input.policy';

const CONTACT = 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
const CONTACT_2 = 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S9';

/** The code and details of what `fn` throws. */
function failure(fn: () => unknown): { code: string; details: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('did not throw');
}

describe('campaign input rules', () => {
  it('name: trimmed, 1 to 120 characters', () => {
    expect(checkName('  Weekly offer ')).toBe('Weekly offer');
    expect(checkName('x'.repeat(120))).toHaveLength(120);
    for (const bad of ['', '   ', 'x'.repeat(121), 42]) {
      expect(failure(() => checkName(bad))).toEqual({ code: 'invalid_name', details: { field: 'name' } });
    }
  });

  it('connectionIds: 1 to 10 distinct strings', () => {
    expect(checkConnectionIds(['con_a', 'con_b'])).toEqual(['con_a', 'con_b']);
    expect(failure(() => checkConnectionIds([])).code).toBe('invalid_connections');
    const eleven = Array.from({ length: 11 }, (_, i) => `con_${i}`);
    expect(failure(() => checkConnectionIds(eleven)).code).toBe('invalid_connections');
    expect(failure(() => checkConnectionIds(['con_a', 'con_a']))).toEqual({
      code: 'invalid_connections',
      details: { field: 'connectionIds', connectionId: 'con_a' },
    });
    expect(failure(() => checkConnectionIds([7])).code).toBe('invalid_connections');
  });

  it('variables: at most 50 names, 16 KiB, keys the database can store, never contact', () => {
    const ok = { offer: '20%', code: { weekly: 'WEEK20' }, list: [1, { a: true }], empty: null };
    expect(checkVariables(ok)).toEqual(ok);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`v${i}`, i]));
    expect(checkVariables(fifty)).toEqual(fifty);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(checkVariables({ deep })).toEqual({ deep });

    const cases: [unknown, string][] = [
      [[], 'variables'],
      ['x', 'variables'],
      [{ ...fifty, v50: 1 }, 'variables'],
      [{ big: 'x'.repeat(CAMPAIGN_LIMITS.variablesBytes) }, 'variables'],
      [{ 'two words': 1 }, 'variables.two words'],
      [{ '1st': 1 }, 'variables.1st'],
      [{ 'offer.code': 1 }, 'variables.offer.code'],
      [{ contact: 'x' }, 'variables.contact'],
      [{ constructor: 1 }, 'variables.constructor'],
      [{ offer: { 'a.b': 1 } }, 'variables.offer.a.b'],
      [{ offer: [{ $set: 1 }] }, 'variables.offer[0].$set'],
      [{ deep: { d: deep } }, 'variables.deep.d.d.d.d.d.d.d.d.d.d'],
    ];
    for (const [input, field] of cases) {
      expect({ input, ...failure(() => checkVariables(input)) }).toEqual({
        input,
        code: 'invalid_variables',
        details: { field },
      });
    }
  });

  it('audience: tags lowered and de-duplicated, contact ids checked, at least one of them', () => {
    expect(checkAudience({ tags: [' VIP', 'vip', 'new-customers'] })).toEqual({
      tags: ['vip', 'new-customers'],
      contactIds: [],
    });
    expect(checkAudience({ contactIds: [CONTACT, CONTACT], tags: [] })).toEqual({
      tags: [],
      contactIds: [CONTACT],
    });
    expect(failure(() => checkAudience({}))).toEqual({
      code: 'empty_audience',
      details: { field: 'audience' },
    });
    expect(failure(() => checkAudience({ tags: [], contactIds: [] })).code).toBe('empty_audience');

    const tooManyTags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    const tooManyContacts = Array.from(
      { length: 1001 },
      (_, i) => `ctc_01JDQ8Z6W5V7Y2M3N4P${String(i).padStart(7, '0')}`,
    );
    const cases: [Parameters<typeof checkAudience>[0], string][] = [
      [{ tags: ['no spaces'] }, 'audience.tags'],
      [{ tags: ['x'.repeat(51)] }, 'audience.tags'],
      [{ tags: [3] }, 'audience.tags'],
      [{ tags: tooManyTags }, 'audience.tags'],
      [{ contactIds: ['ctc_1'] }, 'audience.contactIds'],
      [{ contactIds: tooManyContacts }, 'audience.contactIds'],
    ];
    for (const [input, field] of cases) {
      expect(failure(() => checkAudience(input))).toEqual({ code: 'invalid_audience', details: { field } });
    }
  });

  it('audience on PATCH: a list left out keeps its value, [] empties it', () => {
    const base = { tags: ['vip'], contactIds: [CONTACT] };
    expect(checkAudience({ contactIds: [CONTACT_2] }, base)).toEqual({
      tags: ['vip'],
      contactIds: [CONTACT_2],
    });
    expect(checkAudience({ tags: [] }, base)).toEqual({ tags: [], contactIds: [CONTACT] });
    expect(failure(() => checkAudience({ tags: [], contactIds: [] }, base)).code).toBe('empty_audience');
  });

  it('a restricted key reaches a campaign only through all of its connections', () => {
    expect(withinReach(['con_a', 'con_b'], undefined)).toBe(true);
    expect(withinReach(['con_a'], ['con_a', 'con_c'])).toBe(true);
    expect(withinReach(['con_a', 'con_b'], ['con_a'])).toBe(false);
  });

  it('state changes: pause and resume are idempotent, cancel is final', () => {
    expect(stateAfter('active', 'pause')).toBe('paused');
    expect(stateAfter('paused', 'pause')).toBeNull();
    expect(stateAfter('paused', 'resume')).toBe('active');
    expect(stateAfter('active', 'resume')).toBeNull();
    expect(stateAfter('active', 'cancel')).toBe('cancelled');
    expect(stateAfter('paused', 'cancel')).toBe('cancelled');
    expect(stateAfter('cancelled', 'cancel')).toBeNull();
    for (const action of ['pause', 'resume'] as const) {
      const err = failure(() => stateAfter('cancelled', action));
      expect(err.code).toBe('campaign_cancelled');
    }
  });
});
