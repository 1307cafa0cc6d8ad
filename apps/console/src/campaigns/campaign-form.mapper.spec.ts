import type { ApiProblem } from '../api/api-error.mapper';
import type { Campaign } from './campaign.dto';
import {
  campaignBody,
  campaignErrors,
  campaignForm,
  campaignVariables,
  errorsUnder,
  nestVariables,
  newCampaignForm,
  pacingBody,
  parseTags,
  unplaced,
} from './campaign-form.mapper';

const NOW = new Date('2026-12-01T12:00:00Z');
const problem = (code: string, message: string, details?: unknown): ApiProblem => ({
  status: 400,
  code,
  message,
  ...(details === undefined ? {} : { details }),
});

describe('campaign form -> body', () => {
  it('nests dotted variables, drops empty ones, splits and lowers tags', () => {
    expect(nestVariables({ 'offer.code': 'W20', 'offer.text': '20% off', label: 'Hi', empty: ' ' })).toEqual({
      offer: { code: 'W20', text: '20% off' },
      label: 'Hi',
    });
    expect(parseTags(' VIP, news  vip,,')).toEqual(['vip', 'news']);
    expect(
      campaignVariables([
        { name: 'contact.name', example: 'x' },
        { name: 'offer', example: 'x' },
      ]).map((v) => v.name),
    ).toEqual(['offer']);
  });

  it('pacing: numbers as numbers, blank break = none, switched-off windows = null', () => {
    const form = newCampaignForm('UTC', NOW);
    expect(pacingBody(form.pacing)).toEqual({
      messagesPerMinute: 6,
      jitter: 0.3,
      pauseEvery: 40,
      pauseMinutes: 10,
      dailyCap: 250,
      quietHours: { start: '21:00', end: '09:00' },
      frequencyCap: { max: 1, perHours: 24 },
    });
    const off = pacingBody({
      ...form.pacing,
      pauseEvery: '',
      quietHours: false,
      frequencyCap: false,
      jitter: 'abc',
    });
    expect(off).toMatchObject({ pauseEvery: null, quietHours: null, frequencyCap: null, jitter: 'abc' });
  });

  it('leaves the schedule out of a change that did not touch it', () => {
    const form = { ...newCampaignForm('UTC', NOW), name: 'x', templateId: 'tpl', connectionIds: ['con'] };
    expect(campaignBody(form)).toHaveProperty('schedule');
    expect(campaignBody(form, false)).not.toHaveProperty('schedule');
    expect(campaignBody(form).audience).toEqual({ tags: [], contactIds: [] });
  });
});

describe('campaign -> form', () => {
  it('reads variables by the template declared names and pacing as text', () => {
    const c = {
      name: 'Weekly',
      connectionIds: ['con_1'],
      templateId: 'tpl_1',
      variables: { offer: { code: 'W20' }, n: 3 },
      audience: { tags: ['vip', 'news'], contactIds: ['ctc_1'] },
      schedule: {
        type: 'cron',
        expression: '0 9 * * 1',
        timeZone: 'UTC',
        misfire: 'run_once',
        recipientLocalTime: false,
      },
      pacing: {
        messagesPerMinute: 10,
        jitter: 0,
        pauseEvery: null,
        pauseMinutes: 5,
        dailyCap: 100,
        warmup: [],
        quietHours: null,
        frequencyCap: { max: 2, perHours: 48 },
      },
    } as unknown as Campaign;
    const f = campaignForm(
      c,
      [
        { name: 'offer.code', example: 'x' },
        { name: 'n', example: 1 },
        { name: 'missing', example: 1 },
      ],
      NOW,
    );
    expect(f.variables).toEqual({ 'offer.code': 'W20', n: '3', missing: '' });
    expect(f.tags).toBe('vip, news');
    expect(f.pacing).toMatchObject({
      pauseEvery: '',
      quietHours: false,
      frequencyCap: true,
      capMax: '2',
      capPerHours: '48',
    });
    expect(f.schedule).toMatchObject({ mode: 'cron', expression: '0 9 * * 1' });
  });
});

describe('campaignErrors', () => {
  it('places each code next to its field, the exact setting when details.field names it', () => {
    expect(campaignErrors(problem('invalid_name', 'name must be 1 to 120 characters')).fields).toEqual({
      name: 'Name must be 1 to 120 characters',
    });
    expect(
      campaignErrors(problem('schedule_in_past', 'schedule.at is in the past', { field: 'schedule.at' }))
        .fields,
    ).toEqual({
      'schedule.at': 'Schedule.at is in the past',
    });
    expect(
      campaignErrors(
        problem('invalid_pacing', 'pacing.quietHours.start must be', { field: 'quietHours.start' }),
      ).fields,
    ).toEqual({
      'pacing.quietHours': 'Pacing.quietHours.start must be',
    });
    expect(campaignErrors(problem('empty_audience', 'give a tag')).fields).toEqual({
      audience: 'Give a tag',
    });
    expect(campaignErrors(problem('plan_limit_exceeded', 'plan full'))).toEqual({
      fields: {},
      form: 'plan full',
    });
  });

  it('reads validation_failed details; what no field shows becomes the form message', () => {
    const e = campaignErrors(
      problem('validation_failed', 'invalid', [
        { field: 'connectionIds', messages: ['connectionIds must be an array'] },
        { field: 'other', messages: ['other should not exist'] },
      ]),
    );
    expect(e.fields.connectionIds).toBe('ConnectionIds must be an array');
    expect(unplaced(e, ['connectionIds', 'name'])).toBe('Other should not exist');
    expect(errorsUnder({ schedule: 'a', 'schedule.at': 'b', scheduler: 'c' }, 'schedule')).toEqual({
      '': 'a',
      at: 'b',
    });
  });
});
