import { DateTime } from 'luxon';
import { auth, ConnectionsStack } from './support/connections-stack';
import { person } from './support/console-people';
import { accountWithKey, CreatedAccount } from './support/e2e-app';

jest.setTimeout(60_000);

type Json = Record<string, unknown>;
const PATH = '/v1/campaigns/schedule-preview';

/**
 * POST /v1/campaigns/schedule-preview over HTTP: the next occurrences of a schedule before it is
 * saved, worked out by the same code that runs campaigns and checked here against luxon; the
 * same 400 codes as creating a campaign; open to the marketing role's session, not the viewer's.
 */
describe('campaign schedule preview (e2e)', () => {
  let s: ConnectionsStack;
  let acc: CreatedAccount;

  const preview = (body: Json) => s.http.post(PATH).set(auth(acc.key)).send(body);

  beforeAll(async () => {
    s = await ConnectionsStack.start();
    acc = await accountWithKey(s.http);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('lists the next 5 Mondays 09:00 in Tokyo as instants and wall-clock times, saving nothing', async () => {
    const res = await preview({
      schedule: { type: 'rrule', timeZone: 'Asia/Tokyo', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' },
    }).expect(200);
    const body = res.body as { timeZone: string; schedule: Json; occurrences: Json[] };
    expect(body.timeZone).toBe('Asia/Tokyo');
    expect(body.schedule).toMatchObject({ type: 'rrule', misfire: 'run_once', recipientLocalTime: false });
    expect(body.schedule.rule).toMatch(
      /^DTSTART;TZID=Asia\/Tokyo:.*\nRRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0$/,
    );

    // Independently: Mondays 09:00 in Tokyo (no DST there) strictly after now.
    let t = DateTime.now().setZone('Asia/Tokyo').set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const expected: Json[] = [];
    while (expected.length < 5) {
      if (t.weekday === 1 && t.toMillis() > Date.now()) {
        expected.push({ at: t.toUTC().toISO(), local: t.toFormat("yyyy-MM-dd'T'HH:mm"), offset: '+09:00' });
      }
      t = t.plus({ days: 1 });
    }
    expect(body.occurrences).toEqual(expected);
    expect(await s.db.collection('campaigns').countDocuments({})).toBe(0);
  });

  it('honours count (1..20), a once schedule gives one, an end date cuts the list short', async () => {
    const everyDay = daily();
    expect((await preview({ schedule: everyDay, count: 20 }).expect(200)).body.occurrences).toHaveLength(20);
    expect((await preview({ schedule: everyDay, count: 1 }).expect(200)).body.occurrences).toHaveLength(1);
    const in3Days = DateTime.utc().plus({ days: 3 }).toISO();
    const ended = await preview({ schedule: { ...everyDay, endAt: in3Days } }).expect(200);
    expect((ended.body.occurrences as Json[]).length).toBeLessThanOrEqual(3);
    expect((ended.body.occurrences as Json[]).length).toBeGreaterThanOrEqual(2);

    const at = DateTime.now().setZone('America/New_York').plus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm");
    const once = await preview({ schedule: { type: 'once', timeZone: 'America/New_York', at } }).expect(200);
    expect(once.body.occurrences).toEqual([
      expect.objectContaining({
        local: at,
        at: DateTime.fromISO(at, { zone: 'America/New_York' }).toUTC().toISO(),
      }),
    ]);

    for (const count of [0, 21, 2.5, '5']) {
      const bad = await preview({ schedule: everyDay, count }).expect(400);
      expect(bad.body.code).toBe('validation_failed');
    }
  });

  it('refuses invalid schedules with the same codes and fields as creating a campaign', async () => {
    const cases: [Json, string, string][] = [
      [{ type: 'weekly', timeZone: 'UTC' }, 'invalid_schedule', 'schedule.type'],
      [
        { type: 'cron', timeZone: 'Mars/Base', expression: '0 9 * * *' },
        'invalid_time_zone',
        'schedule.timeZone',
      ],
      [{ type: 'cron', timeZone: 'UTC', expression: '0 9 * *' }, 'invalid_cron', 'schedule.expression'],
      [{ type: 'rrule', timeZone: 'UTC', rule: 'FREQ=HOURLY' }, 'invalid_rrule', 'schedule.rule'],
      [
        { type: 'cron', timeZone: 'UTC', expression: '*/10 * * * *' },
        'schedule_too_frequent',
        'schedule.expression',
      ],
      [{ type: 'once', timeZone: 'UTC', at: '2020-01-01T09:00' }, 'schedule_in_past', 'schedule.at'],
      [
        {
          type: 'cron',
          timeZone: 'UTC',
          expression: '0 9 * * *',
          startAt: '2030-01-02T00:00Z',
          endAt: '2030-01-01T00:00Z',
        },
        'schedule_end_before_start',
        'schedule.endAt',
      ],
    ];
    for (const [schedule, code, field] of cases) {
      const res = await preview({ schedule }).expect(400);
      expect({ schedule, code: res.body.code, field: res.body.details?.field }).toEqual({
        schedule,
        code,
        field,
      });
    }
    expect((await preview({}).expect(400)).body.code).toBe('validation_failed');
    expect((await preview({ schedule: daily(), extra: 1 }).expect(400)).body.code).toBe('validation_failed');
    await s.http.post(PATH).send({ schedule: daily() }).expect(401);
  });

  it('a marketing user may preview with the console session; a viewer may not', async () => {
    const body = { schedule: daily() };
    const marketing = await person(s.http, acc, 'marketing');
    const ok = await s.http.post(PATH).set(marketing.cookie).set(marketing.csrf).send(body).expect(200);
    expect(ok.body.occurrences).toHaveLength(5);
    const viewer = await person(s.http, acc, 'viewer');
    const refused = await s.http.post(PATH).set(viewer.cookie).set(viewer.csrf).send(body).expect(403);
    expect(refused.body.code).toBe('forbidden_role');
  });

  it('does not shadow a campaign id: GET /v1/campaigns/schedule-preview is a plain 404', async () => {
    const res = await s.http.get(PATH).set(auth(acc.key)).expect(404);
    expect(res.body.code).toBe('not_found');
  });
});

function daily(): Json {
  return { type: 'cron', timeZone: 'UTC', expression: '0 10 * * *' };
}
