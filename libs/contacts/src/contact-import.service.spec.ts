import { Readable } from 'node:stream';
import { Plan } from '@wwb/accounts';
import { scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import type { ContactRepository } from './contact.repository';
import type { ContactRecord } from './contact.schema';
import type { ContactQuotaService } from './contact-quota.service';
import { ContactImportService, IMPORT_MAX_ROWS } from './contact-import.service';

/** Contacts in memory, with the repository methods the import uses. */
class FakeContacts {
  readonly byPhone = new Map<string, ContactRecord>();
  /** Phones another creator inserts right before our next insertMany (a race). */
  racers: string[] = [];
  batches: number[] = [];

  findByPhones(_scope: unknown, phones: string[]): Promise<ContactRecord[]> {
    return Promise.resolve(phones.flatMap((p) => (this.byPhone.has(p) ? [this.byPhone.get(p)!] : [])));
  }

  insertMany(_scope: unknown, docs: ContactRecord[]): Promise<Set<number>> {
    this.batches.push(docs.length);
    for (const p of this.racers.splice(0))
      this.byPhone.set(p, { ...docs[0]!, _id: `ctc_racer_${p}`, phone: p, tags: ['racer'] });
    const duplicates = new Set<number>();
    docs.forEach((d, i) => (this.byPhone.has(d.phone) ? duplicates.add(i) : this.byPhone.set(d.phone, d)));
    return Promise.resolve(duplicates);
  }

  updateMany(_scope: unknown, updates: { id: string; changes: Partial<ContactRecord> }[]): Promise<void> {
    for (const u of updates) {
      const c = [...this.byPhone.values()].find((x) => x._id === u.id)!;
      this.byPhone.set(c.phone, { ...c, ...u.changes });
    }
    return Promise.resolve();
  }
}

const clock = { now: () => new Date('2026-03-01T00:00:00Z') } as Clock;

/** The row cap is 100,000; the logic is the same with 1,000, in a fraction of the time. */
class SmallImportService extends ContactImportService {
  protected override readonly maxRows = 1000;
}

function setup(room: number | null, Service = ContactImportService) {
  const repo = new FakeContacts();
  const quota = {
    room: () => Promise.resolve({ room, plan: Plan.of('starter') }),
  } as unknown as ContactQuotaService;
  const service = new Service(repo as unknown as ContactRepository, quota, new IdGenerator(), clock);
  const run = (lines: string[] | Iterable<string>) =>
    service.import(scopeOf('acc_1'), Readable.from([...lines].map((l) => `${l}\n`)));
  return { repo, run };
}

describe('ContactImportService', () => {
  it('a phone twice in one file: the later row updates what the earlier created', async () => {
    const { repo, run } = setup(null);
    const res = await run([
      'phone,name,tags',
      '+15550000001,Ann,a',
      '15550000001,Annie,b',
      '+15550000002,Bob,',
    ]);
    expect(res).toEqual({ created: 2, updated: 1, failed: 0, errors: [] });
    expect(repo.byPhone.get('+15550000001')).toMatchObject({ name: 'Annie', tags: ['a', 'b'] });
  });

  it('applies rows in batches of at most 500', async () => {
    const { repo, run } = setup(null);
    const rows = Array.from({ length: 1200 }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
    const res = await run(['phone', ...rows]);
    expect(res.created).toBe(1200);
    expect(repo.batches).toEqual([500, 500, 200]);
  });

  it('once the plan is full, creating rows fail with plan_limit_exceeded and updates still apply', async () => {
    const { repo, run } = setup(2);
    repo.byPhone.set('+15550000009', {
      _id: 'ctc_9',
      phone: '+15550000009',
      tags: [],
      attributes: {},
    } as unknown as ContactRecord);
    const res = await run([
      'phone,name',
      '+15550000001,a',
      '+15550000002,b',
      '+15550000003,c',
      '+15550000009,z',
    ]);
    expect(res).toMatchObject({ created: 2, updated: 1, failed: 1 });
    expect(res.errors).toEqual([
      { row: 4, code: 'plan_limit_exceeded', message: expect.stringContaining('1000') },
    ]);
    expect(repo.byPhone.get('+15550000009')).toMatchObject({ name: 'z' });
  });

  it('a contact created by someone else meanwhile is updated instead, and gives its place back', async () => {
    const { repo, run } = setup(1);
    repo.racers = ['+15550000001'];
    const res = await run(['phone,tags', '+15550000001,mine']);
    expect(res).toEqual({ created: 0, updated: 1, failed: 0, errors: [] });
    expect(repo.byPhone.get('+15550000001')).toMatchObject({ tags: ['racer', 'mine'] });
  });

  it('stops at the row cap with too_many_rows (the rest is not read)', async () => {
    const { repo, run } = setup(null, SmallImportService);
    function* lines() {
      yield 'phone';
      for (let i = 0; i < 1050; i++) yield `+1556${String(i).padStart(7, '0')}`;
    }
    const res = await run(lines());
    expect(res.created).toBe(1000);
    expect(res.failed).toBe(1);
    expect(res.errors).toEqual([
      { row: 1002, code: 'too_many_rows', message: expect.stringContaining('1000') },
    ]);
    expect(repo.byPhone.size).toBe(1000);
    expect(IMPORT_MAX_ROWS).toBe(100_000);
  });

  it('lists at most 100 row errors but counts them all', async () => {
    const { run } = setup(null);
    const res = await run(['phone', ...Array.from({ length: 150 }, () => 'nope')]);
    expect(res.failed).toBe(150);
    expect(res.errors).toHaveLength(100);
    expect(res.errors[0]).toEqual({ row: 2, code: 'invalid_phone', message: expect.any(String) });
  });

  it('an empty file or a header without phone is 400 invalid_csv', async () => {
    const { run } = setup(null);
    await expect(run([])).rejects.toMatchObject({ code: 'invalid_csv' });
    await expect(run(['name', 'x'])).rejects.toBeInstanceOf(DomainError);
  });
});
