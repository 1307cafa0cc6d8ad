/**
 * Where a run's CPU went, from Linux's /proc: CPU time per request of the API and of the local
 * FerretDB and Kafka (scripts/services write their pids to .tools/run), how busy the machine's
 * cores were, and how long the API's main thread waited for a core while it had work (the
 * run-queue wait in /proc/<pid>/task/<pid>/schedstat). On a machine the API shares with its
 * database, broker and load generator, latency at a given rate follows from these: a main thread
 * that waits for a core queues every request behind it, whatever the code does.
 * Elsewhere than Linux, or for a service not started by scripts/services, the figure is left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every mainstream Linux build). */
const TICK_MS = 10;

export interface CpuBudget {
  /** CPU ms per request of each process that was found. */
  perRequestMs: Record<string, number>;
  /** Share of the machine's cores busy during the run (all processes), 0..1. */
  machineBusy: number;
  /** Run-queue wait of the API's main thread per second of the run, ms (undefined: no schedstat). */
  apiMainWaitMsPerS?: number;
  /** Run-queue wait of the API's main thread as a share of its running time. */
  apiMainWaitShare?: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process (all its threads), ms. */
function processCpuMs(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** [running, waiting for a core] of a process's main thread, ms. */
function mainThreadSched(pid: number): [number, number] | undefined {
  const line = read(`/proc/${pid}/task/${pid}/schedstat`);
  if (!line) return undefined;
  const [run, wait] = line.split(' ').map(Number);
  return [run! / 1e6, wait! / 1e6];
}

/** [busy, total] jiffies of all cores. */
function machineJiffies(): [number, number] | undefined {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = v[3]! + (v[4] ?? 0);
  return [total - idle, total];
}

/** FerretDB's and Kafka's pids when scripts/services started them on this machine. */
export function localServicePids(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, file] of [
    ['FerretDB', 'ferretdb.pid'],
    ['Kafka', 'kafka.pid'],
  ] as const) {
    const path = join(repoRoot(), '.tools', 'run', file);
    const pid = existsSync(path) ? Number(read(path)?.trim()) : NaN;
    if (Number.isInteger(pid) && processCpuMs(pid) !== undefined) out[name] = pid;
  }
  return out;
}

/** Takes the first reading now; `stop(requests)` takes the second and divides. */
export function startCpuBudget(pids: Record<string, number>, apiPid: number) {
  const startedAt = performance.now();
  const before = new Map(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const schedBefore = mainThreadSched(apiPid);
  const machineBefore = machineJiffies();
  return {
    stop(requests: number): CpuBudget {
      const seconds = (performance.now() - startedAt) / 1000;
      const perRequestMs: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const a = before.get(name);
        const b = processCpuMs(pid);
        if (a !== undefined && b !== undefined && requests > 0) perRequestMs[name] = (b - a) / requests;
      }
      const machineAfter = machineJiffies();
      const machineBusy =
        machineBefore && machineAfter
          ? (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1])
          : NaN;
      const schedAfter = mainThreadSched(apiPid);
      if (!schedBefore || !schedAfter) return { perRequestMs, machineBusy };
      const ran = schedAfter[0] - schedBefore[0];
      const waited = schedAfter[1] - schedBefore[1];
      return {
        perRequestMs,
        machineBusy,
        apiMainWaitMsPerS: waited / seconds,
        apiMainWaitShare: ran > 0 ? waited / ran : NaN,
      };
    },
  };
}

export function describeBudget(b: CpuBudget): string {
  const per = Object.entries(b.perRequestMs)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
    .join(', ');
  const wait =
    b.apiMainWaitMsPerS === undefined
      ? ''
      : `; the API's main thread waited ${b.apiMainWaitMsPerS.toFixed(0)} ms per second for a core ` +
        `(${((b.apiMainWaitShare ?? NaN) * 100).toFixed(0)}% of its running time)`;
  return `CPU per request: ${per}; ${cpus().length} cores ${(b.machineBusy * 100).toFixed(0)}% busy` + wait;
}
