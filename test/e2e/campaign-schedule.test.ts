import { DateTime } from 'luxon';
import { CampaignRunRepository, RunStarterService } from '@wwb/campaigns';
import { Clock } from '@wwb/runtime';
import { waitFor } from '@wwb/testing';
import { ManualClock, ScheduleFixture, SchedulerWorker } from './support/campaign-schedulers';
import { auth } from './support/connections-stack';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The campaign scheduler against the real Kafka and FerretDB, on worker processes whose Clock
 * the test sets: the instants an RRULE runs at across both DST changes in Europe/Berlin, each
 * recipient's own local time, two schedulers on one occurrence, and the misfire policy after a
 * downtime. Where messages go out, the real gateway (simulator driver) sends them on real time.
 */
describe('campaign schedule with a controllable clock (e2e)', () => {
  let f: ScheduleFixture;

  beforeAll(async () => {
    f = await ScheduleFixture.start();
  });

  afterEach(async () => {
    await f.reset();
  });

  afterAll(async () => {
    await f?.close();
  });

  /**
   * Ticks a worker every 6 hours over [from, to), plus at `extra` instants, in time order; the
   * ticks that started a run of the campaign, with what they started.
   */
  async function walk(
    w: SchedulerWorker,
    campaignId: string,
    from: string,
    to: string,
    extra: string[],
  ): Promise<[string, string[]][]> {
    const instants = new Set(extra.map((x) => iso(Date.parse(x))));
    for (let t = Date.parse(from); t < Date.parse(to); t += 6 * HOUR) instants.add(iso(t));
    const hits: [string, string[]][] = [];
    for (const at of [...instants].sort()) {
      const started = await f.startedAt(w, campaignId, at);
      if (started.length) hits.push([at, started]);
    }
    return hits;
  }

  async function expectWeeklyAcrossDst(
    tag: string,
    phone: string,
    window: { startAt: string; endAt: string },
    expected: { occurrence: string; wall: string }[],
  ): Promise<void> {
    const member = await f.contact({ phone, tags: [tag] });
    const id = await f.campaign({
      audience: { tags: [tag] },
      variables: { label: 'Weekly' },
      schedule: {
        type: 'rrule',
        timeZone: 'Europe/Berlin',
        rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
        ...window,
      },
    });
    const w = await f.scheduler(new ManualClock(`${window.startAt}:00Z`));
    const idOf = (wall: string) => `${id}_${wall.replace(/[^0-9T]/g, '')}`;
    const before = (at: string) => iso(Date.parse(at) - 1);

    // Every 6 hours from before the first Monday to past the end, and the millisecond before
    // and at each expected instant: a run at any other instant (an hour early or late, a
    // stray one in between) shows as a tick that started something it should not have.
    const hits = await walk(
      w,
      id,
      `${window.startAt}:00Z`,
      iso(Date.parse(`${window.endAt}:00Z`) + 2 * 24 * HOUR),
      expected.flatMap((e) => [before(e.occurrence), e.occurrence]),
    );
    expect(hits).toEqual(expected.map((e) => [e.occurrence, [idOf(e.wall)]]));

    const runs = await f.runsOf(id);
    expect(runs.map((r) => [r._id, (r.occurrence as Date).toISOString(), r.occurrenceId])).toEqual(
      expected.map((e) => [idOf(e.wall), e.occurrence, e.wall]),
    );
    for (const run of runs) {
      const rows = await f.recipientsOf(run._id as unknown as string);
      expect(rows.map((r) => [r.contactId, (r.dueAt as Date).toISOString()])).toEqual([
        [member, (run.occurrence as Date).toISOString()],
      ]);
    }
    const listed = await f.s.http.get(`/v1/campaigns/${id}/runs`).set(auth(f.key)).expect(200);
    expect((listed.body.data as Json[]).map((r) => [r.id, r.occurrence])).toEqual(
      [...expected].reverse().map((e) => [idOf(e.wall), e.occurrence]),
    );
  }

  it('weekly Monday 09:00 in Berlin runs at 08:00Z before the March DST change and 07:00Z after, once each', async () => {
    // Clocks go forward on Sunday 28 March 2027: CET (UTC+1) before, CEST (UTC+2) after.
    await expectWeeklyAcrossDst(
      'spring',
      '+15557651001',
      { startAt: '2027-03-20T00:00', endAt: '2027-04-03T00:00' },
      [
        { occurrence: '2027-03-22T08:00:00.000Z', wall: '2027-03-22T09:00' },
        { occurrence: '2027-03-29T07:00:00.000Z', wall: '2027-03-29T09:00' },
      ],
    );
  });

  it('weekly Monday 09:00 in Berlin runs at 07:00Z before the October DST change and 08:00Z after, once each', async () => {
    // Clocks go back on Sunday 31 October 2027.
    await expectWeeklyAcrossDst(
      'autumn',
      '+15557651002',
      { startAt: '2027-10-23T00:00', endAt: '2027-11-06T00:00' },
      [
        { occurrence: '2027-10-25T07:00:00.000Z', wall: '2027-10-25T09:00' },
        { occurrence: '2027-11-01T08:00:00.000Z', wall: '2027-11-01T09:00' },
      ],
    );
  });

  it('recipient local time: each contact is due at 09:00 in their own zone, the run starts when the first zone gets there', async () => {
    const zones = ['Asia/Tokyo', 'Europe/Berlin', 'America/Los_Angeles'];
    const ids = new Map<string, string>();
    for (const [i, timeZone] of zones.entries()) {
      ids.set(await f.contact({ phone: `+155576520${i}1`, tags: ['local'], timeZone }), timeZone);
    }
    const id = await f.campaign({
      audience: { tags: ['local'] },
      variables: { label: 'Morning' },
      schedule: {
        type: 'rrule',
        timeZone: 'Europe/Berlin',
        rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
        startAt: '2027-06-01T00:00',
        endAt: '2027-06-10T00:00',
        recipientLocalTime: true,
      },
    });
    const w = await f.scheduler(new ManualClock('2027-06-01T00:00:00Z'));
    // Monday 7 June 09:00 reaches UTC+14 first, at 19:00Z on the Sunday: the run starts then.
    expect(await f.startedAt(w, id, '2027-06-06T18:59:59.999Z')).toEqual([]);
    expect(await f.startedAt(w, id, '2027-06-06T19:00:00.000Z')).toEqual([`${id}_20270607T0900`]);
    expect(await f.startedAt(w, id, '2027-06-07T12:00:00.000Z')).toEqual([]);

    const [run] = await f.runsOf(id);
    expect((run!.occurrence as Date).toISOString()).toBe('2027-06-07T07:00:00.000Z');
    const rows = await f.recipientsOf(run!._id as unknown as string);
    const due = Object.fromEntries(
      rows.map((r) => [ids.get(r.contactId as string), (r.dueAt as Date).toISOString()]),
    );
    expect(due).toEqual({
      'Asia/Tokyo': '2027-06-07T00:00:00.000Z',
      'Europe/Berlin': '2027-06-07T07:00:00.000Z',
      'America/Los_Angeles': '2027-06-07T16:00:00.000Z',
    });
    for (const r of rows) {
      const local = DateTime.fromJSDate(r.dueAt as Date, { zone: ids.get(r.contactId as string)! });
      expect(local.toFormat("yyyy-MM-dd'T'HH:mm")).toBe('2027-06-07T09:00');
    }
  });

  it('recipient local time on the real clock: the zone already due is sent, the zones still ahead wait', async () => {
    // A daily wall time W about 5 hours ahead of now in UTC: it has passed in Tokyo (UTC+9),
    // and is hours away in Berlin (UTC+1/+2) and Los Angeles (UTC-8/-7).
    const wall = DateTime.utc().plus({ hours: 5 }).startOf('minute');
    const dueIn = (zone: string) =>
      DateTime.fromObject(
        { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
        { zone },
      ).toJSDate();
    const phones = { tokyo: '+15557653001', berlin: '+15557653002', la: '+15557653003' };
    const tokyo = await f.contact({
      phone: phones.tokyo,
      name: 'Aki',
      tags: ['now'],
      timeZone: 'Asia/Tokyo',
    });
    const berlin = await f.contact({
      phone: phones.berlin,
      name: 'Bo',
      tags: ['now'],
      timeZone: 'Europe/Berlin',
    });
    const la = await f.contact({
      phone: phones.la,
      name: 'Cy',
      tags: ['now'],
      timeZone: 'America/Los_Angeles',
    });
    const id = await f.campaign({
      audience: { tags: ['now'] },
      variables: { label: 'Local' },
      schedule: {
        type: 'rrule',
        timeZone: 'Europe/Berlin',
        rule: `FREQ=DAILY;BYHOUR=${wall.hour};BYMINUTE=${wall.minute}`,
        recipientLocalTime: true,
      },
    });
    await f.scheduler(new Clock());

    const run = await waitFor(async () => (await f.runsOf(id))[0], { timeoutMs: 20_000, what: 'the run' });
    const runId = run._id as unknown as string;
    const rows = await f.recipientsOf(runId);
    const dueOf = new Map(rows.map((r) => [r.contactId as string, (r.dueAt as Date).getTime()]));
    expect(dueOf.get(tokyo)).toBe(dueIn('Asia/Tokyo').getTime());
    expect(dueOf.get(berlin)).toBe(dueIn('Europe/Berlin').getTime());
    expect(dueOf.get(la)).toBe(dueIn('America/Los_Angeles').getTime());
    expect(dueOf.get(tokyo)!).toBeLessThan(Date.now());
    expect(dueOf.get(berlin)!).toBeGreaterThan(Date.now() + 2 * HOUR);

    const recipients = async () =>
      (await f.s.http.get(`/v1/campaigns/${id}/runs/${runId}/recipients`).set(auth(f.key)).expect(200)).body
        .data as Json[];
    const statusOf = async () => new Map((await recipients()).map((r) => [r.contactId, r.status]));
    await waitFor(
      async () => ['sent', 'delivered', 'read'].includes((await statusOf()).get(tokyo) as string),
      {
        timeoutMs: 30_000,
        what: 'the Tokyo recipient sent',
      },
    );
    // Longer than the dispatch loop's idle wait: it looked again and still found nothing due.
    await sleep(3_000);
    const status = await statusOf();
    expect([status.get(berlin), status.get(la)]).toEqual(['pending', 'pending']);
    const report = await f.s.http.get(`/v1/campaigns/${id}/runs/${runId}`).set(auth(f.key)).expect(200);
    const c = report.body.counts as Record<string, number>;
    expect(report.body.state).toBe('running');
    expect(c.pending).toBe(2);
    expect(c.sent + c.delivered + c.read).toBe(1);

    const sends = await f.s.stack.db.collection('campaign_sends').find({ runId }).toArray();
    expect(sends.map((x) => x.contactId)).toEqual([tokyo]);
    expect((sends[0]!.at as Date).getTime()).toBeGreaterThanOrEqual(dueOf.get(tokyo)!);
    expect(await f.chatTexts(phones.tokyo)).toEqual(['Local for Aki']);
    expect(await f.chatTexts(phones.berlin)).toEqual([]);
    expect(await f.chatTexts(phones.la)).toEqual([]);
  });

  it('two schedulers on one due occurrence: one run, one set of recipients, each message sent once', async () => {
    const people = [
      { phone: '+15557654001', name: 'Dee' },
      { phone: '+15557654002', name: 'Eli' },
      { phone: '+15557654003', name: 'Flo' },
    ];
    for (const p of people) await f.contact({ ...p, tags: ['pair'] });
    // `once` on a whole minute (for a predictable run id), at most a minute ago or a few s ahead.
    const onceAt = () => DateTime.utc().plus({ seconds: 5 }).startOf('minute');
    const onceCampaign = (label: string, at: DateTime) =>
      f.campaign({
        audience: { tags: ['pair'] },
        variables: { label },
        schedule: { type: 'once', timeZone: 'UTC', at: at.toISO() },
      });
    const runIdOf = (campaignId: string, at: DateTime) => `${campaignId}_${at.toFormat("yyyyMMdd'T'HHmm")}`;
    const a = await f.scheduler(new ManualClock(new Date()));
    const b = await f.scheduler(new ManualClock(new Date()));

    // 1. Both tick at the same instant, past the occurrence: the lease lets one of them lead.
    // Two minutes past it: clear of any lease a closed real-time scheduler could have left.
    const at1 = onceAt();
    const first = await onceCampaign('Pair A', at1);
    const both = await Promise.all([a, b].map((w) => w.tickAt(at1.plus({ minutes: 2 }).toJSDate())));
    expect(both.filter((r) => r.leader)).toHaveLength(1);
    expect(both.flatMap((r) => r.started)).toEqual([runIdOf(first, at1)]);

    // 2. A leader that stalls between reading the cursors and claiming the run (a long GC or
    // database pause) while its lease runs out and the other takes over: both believe they
    // lead and both find the occurrence due; the run's unique id lets only one start it.
    const at2 = onceAt();
    const second = await onceCampaign('Pair B', at2);
    const repo = a.app.get(CampaignRunRepository);
    const cursorsOf = repo.cursorsOf.bind(repo);
    let resume!: () => void;
    const stalled = new Promise<void>((r) => (resume = r));
    let reachedStall!: () => void;
    const atStall = new Promise<void>((r) => (reachedStall = r));
    jest.spyOn(repo, 'cursorsOf').mockImplementationOnce(async (ids) => {
      const cursors = await cursorsOf(ids);
      reachedStall();
      await stalled;
      return cursors;
    });
    const starts = jest.spyOn(a.app.get(RunStarterService), 'start');
    // Far enough past any lease of step 1 that `a` takes it, and past a's lease for `b`.
    const aTick = a.tickAt(at2.plus({ minutes: 4 }).toJSDate());
    await atStall;
    const bResult = await b.tickAt(at2.plus({ minutes: 6 }).toJSDate());
    resume();
    const aResult = await aTick;
    expect(bResult).toMatchObject({ leader: true, started: [runIdOf(second, at2)] });
    expect(aResult).toMatchObject({ leader: true, started: [] });
    // `a` did try: it found the occurrence due and lost the claim (the race really happened).
    expect(starts).toHaveBeenCalledTimes(1);
    expect(starts.mock.calls[0]![1]).toMatchObject({ at: at2.toJSDate() });
    await expect(starts.mock.results[0]!.value).resolves.toMatchObject({ started: false });

    const runIds = [runIdOf(first, at1), runIdOf(second, at2)];
    for (const [i, campaignId] of [first, second].entries()) {
      expect((await f.runsOf(campaignId)).map((r) => r._id)).toEqual([runIds[i]]);
      expect(await f.recipientsOf(runIds[i]!)).toHaveLength(people.length);
      const dispatches = await f.s.stack.db
        .collection('campaign_dispatches')
        .find({ runId: runIds[i] })
        .toArray();
      expect(dispatches).toHaveLength(1);
    }
    const marks = f.s.stack.db.collection('campaign_run_marks');
    await waitFor(
      async () =>
        (await marks.countDocuments({ _id: { $in: runIds.map((r) => `${r}/completed`) } as never })) === 2,
      { timeoutMs: 40_000, intervalMs: 250, what: 'both runs completed' },
    );
    const sends = await f.s.stack.db
      .collection('campaign_sends')
      .find({ runId: { $in: runIds } })
      .toArray();
    expect(sends).toHaveLength(2 * people.length);
    // Once more than a dispatch loop's idle wait later, still one message per campaign each.
    await sleep(2_500);
    for (const p of people) {
      expect((await f.chatTexts(p.phone)).sort()).toEqual([`Pair A for ${p.name}`, `Pair B for ${p.name}`]);
    }
  });

  it('misfire after a downtime: skip runs nothing, run_once runs the latest missed occurrence once', async () => {
    await f.contact({ phone: '+15557655001', tags: ['misfire'] });
    // Wednesdays 10:00 in Berlin (08:00Z in September) from 1 September 2027.
    const schedule = (misfire: string) => ({
      type: 'rrule',
      timeZone: 'Europe/Berlin',
      rule: 'FREQ=WEEKLY;BYDAY=WE;BYHOUR=10',
      startAt: '2027-08-31T00:00',
      misfire,
    });
    const body = { audience: { tags: ['misfire'] }, variables: { label: 'Misfire' } };
    const skip = await f.campaign({ ...body, schedule: schedule('skip') });
    const once = await f.campaign({ ...body, schedule: schedule('run_once') });
    const w = await f.scheduler(new ManualClock('2027-08-31T00:00:00Z'));
    const tick = async (at: string) => {
      const result = await w.tickAt(at);
      expect(result.leader).toBe(true);
      return result.started.filter((id) => id.startsWith(`${skip}_`) || id.startsWith(`${once}_`)).sort();
    };

    // Nothing ran while 1, 8, 15 and 22 September passed; the scheduler is back on the 23rd.
    expect(await tick('2027-08-31T12:00:00Z')).toEqual([]);
    expect(await tick('2027-09-23T12:00:00Z')).toEqual([`${once}_20270922T1000`]);
    expect(await tick('2027-09-23T13:00:00Z')).toEqual([]);
    expect(await f.runsOf(skip)).toEqual([]);
    expect((await f.runsOf(once)).map((r) => (r.occurrence as Date).toISOString())).toEqual([
      '2027-09-22T08:00:00.000Z',
    ]);

    // Skipping the missed ones does not stop the schedule: the next occurrence runs on time
    // under both policies (one minute late is within skip's grace).
    expect(await tick('2027-09-29T08:01:00Z')).toEqual(
      [`${once}_20270929T1000`, `${skip}_20270929T1000`].sort(),
    );
    expect((await f.runsOf(skip)).map((r) => r._id)).toEqual([`${skip}_20270929T1000`]);
    expect((await f.runsOf(once)).map((r) => r._id)).toEqual([
      `${once}_20270922T1000`,
      `${once}_20270929T1000`,
    ]);
  });
});
