import { readdirSync, readFileSync } from 'node:fs';

/**
 * Finding and killing Chromium processes through /proc (Linux). Each browser we launch carries
 * a marker argument (`--wa-connection=<id>`); its helper processes (zygote, renderer, GPU,
 * utility) do not, so they are found as descendants of the marked process.
 */

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** 'R', 'S', 'Z' (zombie)... */
  state: string;
  args: string[];
}

/** Parses `/proc/<pid>/stat`; the command name may hold spaces and parentheses. */
export function parseProcStat(stat: string): { pid: number; ppid: number; state: string } | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(stat.slice(0, stat.indexOf(' ')), 10);
  const rest = stat.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = Number.parseInt(rest[1] ?? '', 10);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !state) return undefined;
  return { pid, ppid, state };
}

/** Parses `/proc/<pid>/cmdline` (NUL-separated). */
export function parseCmdline(raw: string): string[] {
  return raw.split('\0').filter((a) => a.length > 0);
}

export function listProcesses(procRoot = '/proc'): ProcInfo[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseProcStat(readFileSync(`${procRoot}/${name}/stat`, 'utf8'));
      if (!stat) continue;
      const args = parseCmdline(readFileSync(`${procRoot}/${name}/cmdline`, 'utf8'));
      out.push({ ...stat, args });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The marker argument for a connection; ids are reduced to [A-Za-z0-9_-]. */
export function connectionMarker(connectionId: string): string {
  return `--wa-connection=${connectionId.replace(/[^\w-]/g, '_')}`;
}

/** Pids of live processes carrying exactly `marker` among their arguments. */
export function findMarkedProcesses(marker: string, processes: ProcInfo[] = listProcesses()): number[] {
  return processes.filter((p) => p.state !== 'Z' && p.args.includes(marker)).map((p) => p.pid);
}

/** `roots` plus every live descendant. */
export function withDescendants(roots: number[], processes: ProcInfo[] = listProcesses()): number[] {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    if (p.state === 'Z') continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

function isAlive(pid: number): boolean {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return !!stat && stat.state !== 'Z';
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process carrying `marker` and all their descendants, then waits (up to
 * `waitMs`) until they are gone. Returns the pids it killed. Never kills this process.
 */
export async function killMarkedProcesses(marker: string, waitMs = 3_000): Promise<number[]> {
  const processes = listProcesses();
  const roots = findMarkedProcesses(marker, processes);
  if (roots.length === 0) return [];
  const victims = withDescendants(roots, processes).filter((pid) => pid !== process.pid && pid > 1);
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + waitMs;
  while (victims.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return victims;
}

/** Kills a browser process tree by its root pid (used after a failed close). */
export async function killProcessTree(rootPid: number, waitMs = 3_000): Promise<number[]> {
  const victims = withDescendants([rootPid]).filter((pid) => pid !== process.pid && pid > 1);
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + waitMs;
  while (victims.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return victims;
}

/** Proportional set size of a process in kB (`/proc/<pid>/smaps_rollup`), or 0 when gone. */
export function readPssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Synchronous variant for `process.on('exit')`: signals, does not wait. */
export function killMarkedProcessesSync(marker: string): number[] {
  const processes = listProcesses();
  const victims = withDescendants(findMarkedProcesses(marker, processes), processes).filter(
    (pid) => pid !== process.pid && pid > 1,
  );
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return victims;
}
