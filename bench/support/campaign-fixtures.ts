/*
 * Data of bench/campaign-plan.bench.ts: an audience of contacts written straight into the
 * `contacts` collection in the stored shape (ContactDoc), a template in its stored shape
 * (TemplateDoc) and a campaign that goes through the same parsers the API uses. The counts the
 * planner must report are computed from the same rules that shape the contacts, so the bench can
 * tell a fast run from a wrong one.
 */
import type { Db } from 'mongodb';
import { CampaignRecord, parsePacing, parseSchedule } from '@wwb/campaigns';
import { IdGenerator } from '@wwb/runtime';

export const BENCH_TAG = 'bench';
/** Every OPT_OUT_EVERY-th contact has opted out (skipped: opted_out). */
export const OPT_OUT_EVERY = 997;
/** Every NO_CITY_EVERY-th contact lacks the attribute the template reads (template_render_failed). */
export const NO_CITY_EVERY = 499;
const SEED_BATCH = 1000;

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'America/Sao_Paulo', 'UTC', 'Asia/Kolkata'];
const LANGUAGES = ['en', 'de', 'pt-BR', null] as const;
const CITIES = ['Berlin', 'Paris', 'Lisbon', 'Osaka', 'Austin', 'Pune', 'Recife', 'Oslo'];

/** What the planner should count for `count` seeded contacts. */
export interface ExpectedPlan {
  targeted: number;
  pending: number;
  skipped: { opted_out: number; template_render_failed: number };
}

const optedOut = (n: number): boolean => n % OPT_OUT_EVERY === OPT_OUT_EVERY - 1;
// Opted-out contacts are skipped before rendering, so they never count as render failures.
const withoutCity = (n: number): boolean => !optedOut(n) && n % NO_CITY_EVERY === NO_CITY_EVERY - 1;

export function expectedPlan(count: number): ExpectedPlan {
  let optOuts = 0;
  let renderFailures = 0;
  for (let n = 0; n < count; n++) {
    if (optedOut(n)) optOuts++;
    else if (withoutCity(n)) renderFailures++;
  }
  return {
    targeted: count,
    pending: count - optOuts - renderFailures,
    skipped: { opted_out: optOuts, template_render_failed: renderFailures },
  };
}

function contactDoc(ids: IdGenerator, accountId: string, n: number, at: Date): Record<string, unknown> {
  const attributes: Record<string, unknown> = { plan: n % 3 === 0 ? 'gold' : 'basic', visits: n % 40 };
  if (!withoutCity(n)) attributes.city = CITIES[n % CITIES.length];
  return {
    _id: ids.prefixed('ctc'),
    accountId,
    phone: `+1555${String(n).padStart(7, '0')}`,
    name: n % 10 === 0 ? null : `Contact ${n}`,
    tags: n % 4 === 0 ? [BENCH_TAG, 'vip'] : [BENCH_TAG],
    attributes,
    timeZone: ZONES[n % ZONES.length],
    language: LANGUAGES[n % LANGUAGES.length],
    optOut: optedOut(n)
      ? { optedOut: true, at, reason: 'STOP', source: 'keyword' }
      : { optedOut: false, at: null, reason: null, source: null },
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Inserts `count` contacts tagged `bench` (unordered batches of SEED_BATCH, built one batch at a
 * time so the seed does not inflate this process's heap before the measured part).
 */
export async function seedContacts(db: Db, accountId: string, count: number): Promise<void> {
  const ids = new IdGenerator();
  const contacts = db.collection('contacts');
  const at = new Date();
  for (let start = 0; start < count; start += SEED_BATCH) {
    const docs = [];
    for (let n = start; n < Math.min(count, start + SEED_BATCH); n++)
      docs.push(contactDoc(ids, accountId, n, at));
    await contacts.insertMany(docs as never[], { ordered: false });
  }
}

export const TEMPLATE_BODY =
  "Hi {{default contact.name 'there'}}, {{offer}} at our {{contact.attributes.city}} store " +
  "until {{formatDate validUntil style='long'}}. Reply STOP to opt out.";

/** A template in its stored form (variables' examples as JSON text), inserted directly. */
export async function seedTemplate(db: Db, accountId: string, templateId: string): Promise<void> {
  const at = new Date();
  await db.collection('templates').insertOne({
    _id: templateId as never,
    accountId,
    name: 'Bench offer',
    nameKey: 'bench offer',
    language: 'en',
    category: 'marketing',
    body: TEMPLATE_BODY,
    variables: [
      { name: 'offer', exampleJson: JSON.stringify('10% off') },
      { name: 'validUntil', exampleJson: JSON.stringify('2026-12-31') },
    ],
    revision: 1,
    createdAt: at,
    updatedAt: at,
  });
}

/**
 * An active one-off campaign next year (so the worker's own scheduler leaves it alone), each
 * recipient at 09:00 in their own zone, over `connections` connections.
 */
export function benchCampaign(opts: {
  accountId: string;
  templateId: string;
  connectionIds: string[];
  now: Date;
}): CampaignRecord {
  const { now } = opts;
  const year = now.getUTCFullYear() + 1;
  return {
    _id: new IdGenerator().prefixed('cmp'),
    accountId: opts.accountId,
    name: 'Bench campaign',
    connectionIds: opts.connectionIds,
    templateId: opts.templateId,
    variables: { offer: '20% off everything', validUntil: `${year}-02-01` },
    audience: { tags: [BENCH_TAG], contactIds: [] },
    schedule: parseSchedule(
      { type: 'once', at: `${year}-01-15T09:00`, timeZone: 'Europe/Berlin', recipientLocalTime: true },
      now,
    ),
    pacing: parsePacing({ messagesPerMinute: 20, jitter: 0.2 }),
    state: 'active',
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
}
