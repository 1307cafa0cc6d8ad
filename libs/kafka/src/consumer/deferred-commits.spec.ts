import { DeferredCommits, DeferredFailure } from './deferred-commits';

const tick = () => new Promise((r) => setImmediate(r));

function gate(): { promise: Promise<void>; open: () => void; fail: (err: Error) => void } {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  promise.catch(() => undefined);
  return { promise, open, fail };
}

describe('DeferredCommits', () => {
  it('commits only the leading run of durable ranges, in partition order', async () => {
    const commits = new DeferredCommits(() => undefined);
    const a = gate();
    const b = gate();
    commits.done(0, '0', '9');
    commits.defer(0, '10', '19', a.promise);
    commits.defer(0, '20', '29', b.promise);
    commits.done(1, '0', '4');
    expect(commits.takeCommittable()).toEqual([
      { partition: 0, offset: '10' },
      { partition: 1, offset: '5' },
    ]);
    b.open();
    await tick();
    expect(commits.takeCommittable()).toEqual([]); // 10-19 still pending
    a.open();
    await tick();
    expect(commits.takeCommittable()).toEqual([{ partition: 0, offset: '30' }]);
    expect(commits.takeCommittable()).toEqual([]);
    expect(commits.pending).toBe(0);
  });

  it('a failure drops the range and those after it, reports where to re-read, and ignores the tail until then', async () => {
    const failures: DeferredFailure[] = [];
    const commits = new DeferredCommits((f) => failures.push(f));
    const a = gate();
    const b = gate();
    commits.done(0, '0', '9');
    commits.defer(0, '10', '19', a.promise);
    commits.defer(0, '20', '29', b.promise);
    a.fail(new Error('store down'));
    await tick();
    expect(failures).toEqual([{ partition: 0, offset: '10', error: new Error('store down') }]);
    b.open();
    await tick();
    // The tail of the batch that was in flight is not tracked; the re-read starts at 10.
    expect(commits.done(0, '30', '39')).toBe(false);
    expect(commits.takeCommittable()).toEqual([{ partition: 0, offset: '10' }]);
    expect(commits.done(0, '10', '19')).toBe(true);
    expect(commits.done(0, '20', '39')).toBe(true);
    expect(commits.takeCommittable()).toEqual([{ partition: 0, offset: '40' }]);
  });

  it('reset (a new generation) ignores what older ranges report later; idle waits for pending ones', async () => {
    const failures: DeferredFailure[] = [];
    const commits = new DeferredCommits((f) => failures.push(f));
    const a = gate();
    commits.defer(3, '100', '199', a.promise);
    let idle = false;
    void commits.idle().then(() => (idle = true));
    commits.reset();
    a.fail(new Error('late'));
    await tick();
    expect(failures).toEqual([]);
    expect(idle).toBe(true);
    expect(commits.takeCommittable()).toEqual([]);
  });

  it('a failed commit is reported again', () => {
    const commits = new DeferredCommits(() => undefined);
    commits.done(2, '0', '0');
    const offsets = commits.takeCommittable();
    expect(offsets).toEqual([{ partition: 2, offset: '1' }]);
    commits.commitFailed(offsets);
    expect(commits.takeCommittable()).toEqual([{ partition: 2, offset: '1' }]);
  });
});
