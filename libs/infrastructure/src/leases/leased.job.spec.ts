import { SchedulerRegistry } from '@nestjs/schedule';
import pino from 'pino';
import type { LeaseRepository } from './lease.repository';
import { LeasedJob } from './leased.job';

describe('LeasedJob', () => {
  let scheduler: SchedulerRegistry;
  let leases: { acquire: jest.Mock; release: jest.Mock };
  let warn: jest.SpyInstance;
  let job: LeasedJob;

  beforeEach(() => {
    jest.useFakeTimers();
    scheduler = new SchedulerRegistry();
    leases = { acquire: jest.fn(async () => true), release: jest.fn(async () => undefined) };
    const logger = pino({ level: 'silent' });
    warn = jest.spyOn(logger, 'warn');
    job = new LeasedJob({
      name: 'test.job',
      intervalMs: 1_000,
      leaseMs: 3_000,
      leases: leases as unknown as LeaseRepository,
      scheduler,
      logger,
      holder: LeasedJob.holderId('01J'),
    });
  });
  afterEach(() => jest.useRealTimers());

  it('runs the work every interval, never two runs of this node at once', async () => {
    let release!: () => void;
    const work = jest.fn(() => new Promise<void>((r) => (release = r)));
    job.start(work);
    expect(scheduler.doesExist('interval', 'test.job')).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3_000); // still running: ticks are skipped
    expect(work).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(2);
    release();
    await job.stop();
  });

  it('logs a failed run and tries again at the next tick', async () => {
    const work = jest.fn().mockRejectedValueOnce(new Error('store down')).mockResolvedValue(undefined);
    job.start(work);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(warn).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(2);
    await job.stop();
  });

  it('stopping waits for the run in progress before it gives the lease back', async () => {
    let release!: () => void;
    const work = jest.fn(() => new Promise<void>((r) => (release = r)));
    job.start(work);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(stopped).toBe(false);
    expect(leases.release).not.toHaveBeenCalled();
    release();
    await stopping;
    expect(leases.release).toHaveBeenCalledTimes(1);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('a run that never ends holds stopping back for the lease time at most', async () => {
    job.start(() => new Promise<void>(() => undefined));
    await jest.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopping;
    expect(leases.release).toHaveBeenCalledTimes(1);
  });

  it('leads through the lease, and stopping removes the timer and gives the lease back', async () => {
    leases.acquire.mockResolvedValueOnce(false);
    expect(await job.lead()).toBe(false);
    expect(await job.lead()).toBe(true);
    expect(leases.acquire).toHaveBeenCalledWith('test.job', expect.stringMatching(/\/01J$/), 3_000);
    const work = jest.fn(async () => undefined);
    job.start(work);
    await job.stop();
    expect(scheduler.doesExist('interval', 'test.job')).toBe(false);
    expect(leases.release).toHaveBeenCalledWith('test.job', expect.stringMatching(/\/01J$/));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(work).not.toHaveBeenCalled();
  });
});
