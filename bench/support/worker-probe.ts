/*
 * Preloaded into the worker of bench/automation.bench.ts (`-r`), and imported by the bench for
 * its own process (gateway, API): where the time of an inbound message goes. Times every MongoDB command the process sends (the driver's command monitoring,
 * switched on with `monitorCommands=true` in MONGO_URI) by command and collection, and every
 * `InboundAutomationService.onInbound` call (one inbound message through the pipeline). Nothing
 * in the libs changes: the driver's client and the service's prototype are wrapped here.
 * IPC: {cmd: 'reset'} starts over; {cmd: 'stats'} answers with ProbeStats.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { InboundAutomationService } from '@wwb/automation';

export interface CommandStats {
  /** `<command> <collection>`, e.g. `find automation_chat_states`. */
  key: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface ProbeStats {
  inbound: { count: number; totalMs: number; times: number[] };
  commands: CommandStats[];
  /** CPU time (user + system) the worker used since the reset. */
  cpuMs: number;
  /** Event-loop delay since the reset: what a command's time includes besides the store. */
  loopDelayMs: { mean: number; p99: number; max: number };
}

const started = new Map<number, { key: string; at: number }>();
const commands = new Map<string, CommandStats>();
let inbound = { count: 0, totalMs: 0, times: [] as number[] };
let cpu = process.cpuUsage();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
const emit = MongoClient.prototype.emit as Emit;
(MongoClient.prototype as unknown as { emit: Emit }).emit = function (this: MongoClient, event, ...args) {
  if (event === 'commandStarted') {
    const e = args[0] as { requestId: number; commandName: string; command: Record<string, unknown> };
    const target = e.command[e.commandName];
    started.set(e.requestId, {
      key: `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim(),
      at: performance.now(),
    });
  } else if (event === 'commandSucceeded' || event === 'commandFailed') {
    const e = args[0] as { requestId: number };
    const s = started.get(e.requestId);
    if (s) {
      started.delete(e.requestId);
      const ms = performance.now() - s.at;
      const c = commands.get(s.key) ?? { key: s.key, count: 0, totalMs: 0, maxMs: 0 };
      c.count++;
      c.totalMs += ms;
      c.maxMs = Math.max(c.maxMs, ms);
      commands.set(s.key, c);
    }
  }
  return emit.call(this, event, ...args);
};

type OnInbound = InboundAutomationService['onInbound'];
const onInbound = InboundAutomationService.prototype.onInbound as OnInbound;
InboundAutomationService.prototype.onInbound = async function (this: InboundAutomationService, event) {
  const t0 = performance.now();
  try {
    return await onInbound.call(this, event);
  } finally {
    const ms = performance.now() - t0;
    inbound.count++;
    inbound.totalMs += ms;
    inbound.times.push(ms);
  }
};

export function resetProbe(): void {
  commands.clear();
  inbound = { count: 0, totalMs: 0, times: [] };
  cpu = process.cpuUsage();
  loop.reset();
}

export function probeStats(): ProbeStats {
  const used = process.cpuUsage(cpu);
  return {
    inbound,
    commands: [...commands.values()],
    cpuMs: (used.user + used.system) / 1000,
    loopDelayMs: { mean: loop.mean / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

if (process.send) {
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'reset') {
      resetProbe();
      process.send?.({ reset: true });
    } else if (m.cmd === 'stats') process.send?.({ stats: probeStats() });
  });
  // the IPC channel must not keep the worker alive after its shutdown
  process.channel?.unref();
}
