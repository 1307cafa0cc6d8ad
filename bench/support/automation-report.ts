/* The figures of bench/automation.bench.ts: latency summaries and the printed report. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './bench-api';
import type { ProbeStats } from './worker-probe';

export interface Latency {
  count: number;
  missing: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Percentiles over every message sent: a reply that never came counts as infinitely late. */
export function latency(times: number[], sent: number): Latency {
  const all = [...times, ...Array<number>(Math.max(0, sent - times.length)).fill(Infinity)];
  all.sort((a, b) => a - b);
  return {
    count: times.length,
    missing: sent - times.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    p999: percentile(all, 99.9),
    max: all[all.length - 1] ?? NaN,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 ticks/s). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The local FerretDB's pid (scripts/services). */
export function storePid(root: string): number | undefined {
  const file = join(root, '.tools/run/ferretdb.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

export interface Costs {
  rulesEvaluatedRuleStream: number;
  rulesEvaluatedFaqStream: number;
  evaluateRulesMicrosRuleStream: number;
  evaluateRulesMicrosFaqStream: number;
  faqMatchMicros: number;
  faqAskMicros: number;
}

export interface Report {
  settings: { rate: number; rules: number; faqEntries: number };
  sent: number;
  elapsedS: number;
  /** Replies per second from the first message to the last reply (capacity when saturated). */
  repliesPerSecond: number;
  latencyMs: Record<'rule' | 'faq' | 'all', Latency>;
  replies: { faqAnswered: number; faqFallback: number; unexpected: number };
  costs: Costs;
  /** CPU milliseconds per inbound message during the load (this process: gateway + API + bench). */
  cpuMsPerMessage: { bench: number; store: number };
  worker?: ProbeStats;
  /** This process's MongoDB commands (the gateway's part of the path, and the API's). */
  bench?: ProbeStats;
}

const f = (n: number) => (Number.isNaN(n) ? '-' : n === Infinity ? 'none' : n.toFixed(2)).padStart(8);
const us = (n: number) => `${n.toFixed(1)} µs`;

export function printReport(r: Report): void {
  console.log(
    `\nsent ${r.sent} in ${r.elapsedS.toFixed(1)} s (${(r.sent / r.elapsedS).toFixed(0)}/s); ` +
      `replies came at ${r.repliesPerSecond.toFixed(1)}/s`,
  );
  console.log('replies        count missing   p50 ms   p99 ms p99.9 ms   max ms  (none: missing)');
  for (const [label, l] of Object.entries(r.latencyMs)) {
    console.log(
      `${label.padEnd(12)} ${String(l.count).padStart(7)} ${String(l.missing).padStart(7)} ${f(l.p50)} ${f(l.p99)} ${f(l.p999)} ${f(l.max)}`,
    );
  }
  console.log(
    `FAQ replies: ${r.replies.faqAnswered} answered from an entry, ${r.replies.faqFallback} fallback; ` +
      `${r.replies.unexpected} unexpected commands`,
  );
  const c = r.costs;
  console.log(
    `\nrule evaluation per message (evaluateRules, ${r.settings.rules} compiled rules, in process):` +
      `\n  rule stream: ${us(c.evaluateRulesMicrosRuleStream)} (${c.rulesEvaluatedRuleStream} rules evaluated)` +
      `\n  FAQ stream:  ${us(c.evaluateRulesMicrosFaqStream)} (${c.rulesEvaluatedFaqStream} rules evaluated, none matches)` +
      `\nFAQ per message (${r.settings.faqEntries} entries): matcher ${us(c.faqMatchMicros)}, ` +
      `FaqBotsService.ask (with its reads) ${us(c.faqAskMicros)}`,
  );
  const w = r.worker;
  const perMsg = (ms: number, n: number) => (n ? (ms / n).toFixed(2) : '-');
  console.log(
    `\nCPU ms per inbound message: worker ${w ? perMsg(w.cpuMs, w.inbound.count) : '-'}, ` +
      `FerretDB ${r.cpuMsPerMessage.store.toFixed(2)}, this process (gateway, API, bench) ${r.cpuMsPerMessage.bench.toFixed(2)}`,
  );
  if (!w) return;
  const n = w.inbound.count || 1;
  const handle = [...w.inbound.times].sort((a, b) => a - b);
  console.log(
    `worker: ${w.inbound.count} inbound messages through the pipeline (onInbound): mean ${(w.inbound.totalMs / n).toFixed(2)} ms, ` +
      `p50 ${percentile(handle, 50).toFixed(2)} ms, p99 ${percentile(handle, 99).toFixed(2)} ms; ` +
      `event-loop delay mean ${w.loopDelayMs.mean.toFixed(2)} ms, p99 ${w.loopDelayMs.p99.toFixed(2)} ms, max ${w.loopDelayMs.max.toFixed(1)} ms` +
      `\nthis process (gateway, API, bench): event-loop delay p99 ${r.bench?.loopDelayMs.p99.toFixed(2) ?? '-'} ms`,
  );
  printCommands('worker (all of its work: message.received and message.sent)', w, n);
  if (r.bench) printCommands('gateway and API (this process)', r.bench, n);
}

function printCommands(whose: string, w: ProbeStats, n: number): void {
  console.log(
    `MongoDB commands of the ${whose} per inbound message:` +
      '\n  command                                   per msg  mean ms   max ms  ms/msg',
  );
  let count = 0;
  let ms = 0;
  for (const cmd of [...w.commands].sort((a, b) => b.totalMs - a.totalMs)) {
    count += cmd.count / n;
    ms += cmd.totalMs / n;
    console.log(
      `  ${cmd.key.slice(0, 40).padEnd(40)} ${(cmd.count / n).toFixed(2).padStart(8)} ${(cmd.totalMs / cmd.count).toFixed(2).padStart(8)} ${cmd.maxMs.toFixed(1).padStart(8)} ${(cmd.totalMs / n).toFixed(2).padStart(7)}`,
    );
  }
  console.log(
    `  ${'total'.padEnd(40)} ${count.toFixed(2).padStart(8)} ${' '.repeat(17)} ${ms.toFixed(2).padStart(7)}`,
  );
}

export function printVerdict(r: Report): boolean {
  const ok = r.latencyMs.all.missing === 0 && r.latencyMs.all.p99 < 30;
  console.log(
    `\ntarget inbound -> reply command p99 < 30 ms at ${r.settings.rate}/s: ${ok ? 'MET' : 'NOT MET'} ` +
      `(rule p99 ${r.latencyMs.rule.p99.toFixed(2)} ms, FAQ p99 ${r.latencyMs.faq.p99.toFixed(2)} ms, ` +
      `${r.latencyMs.all.missing} missing)`,
  );
  return ok;
}
