import { JobTurns } from './job-turns';

interface Job {
  accountId: string;
  id: string;
  steps: number;
}

/** Runs jobs to the end with the turns, returning the order of steps and of completions. */
function run(jobs: Job[]): { steps: string[]; done: string[] } {
  const turns = new JobTurns<Job>();
  for (const j of jobs) turns.add({ ...j });
  const steps: string[] = [];
  const done: string[] = [];
  for (let round = turns.round(); round.length; round = turns.round()) {
    for (const job of round) {
      steps.push(job.id);
      job.steps -= 1;
      if (job.steps > 0) turns.add(job);
      else done.push(job.id);
    }
  }
  return { steps, done };
}

describe('JobTurns', () => {
  it('gives each account one step per round, whatever the size of the others', () => {
    const { steps, done } = run([
      { accountId: 'A', id: 'a-huge', steps: 5 },
      { accountId: 'B', id: 'b-small', steps: 1 },
      { accountId: 'C', id: 'c-mid', steps: 2 },
    ]);
    expect(steps).toEqual(['a-huge', 'b-small', 'c-mid', 'a-huge', 'c-mid', 'a-huge', 'a-huge', 'a-huge']);
    expect(done).toEqual(['b-small', 'c-mid', 'a-huge']);
  });

  it('rotates the jobs of one account, and an account with many jobs gets no more turns', () => {
    const { steps } = run([
      { accountId: 'A', id: 'a1', steps: 2 },
      { accountId: 'A', id: 'a2', steps: 2 },
      { accountId: 'A', id: 'a3', steps: 2 },
      { accountId: 'B', id: 'b1', steps: 3 },
    ]);
    expect(steps.slice(0, 6)).toEqual(['a1', 'b1', 'a2', 'b1', 'a3', 'b1']);
    expect(steps).toHaveLength(9);
  });

  it('is empty once every job is taken', () => {
    const turns = new JobTurns<Job>();
    expect(turns.round()).toEqual([]);
    turns.add({ accountId: 'A', id: 'a', steps: 1 });
    expect(turns.size).toBe(1);
    expect(turns.round()).toHaveLength(1);
    expect(turns.size).toBe(0);
  });
});
