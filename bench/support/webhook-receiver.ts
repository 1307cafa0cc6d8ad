/**
 * The fast loopback receiver of bench/webhook-delivery.bench.ts, in its own process: answers
 * 200 at once, and notes per path how many deliveries arrived and the time from each event's
 * occurredAt to its arrival. Also a "dead" endpoint: a TCP server that accepts connections and
 * never answers (every request to it times out). Controlled over IPC.
 */
import http from 'node:http';
import net from 'node:net';

interface PathStats {
  count: number;
  ids: Set<string>;
  first: number;
  last: number;
  latencies: number[];
}

const stats = new Map<string, PathStats>();

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    res.writeHead(200);
    res.end();
    const body = Buffer.concat(chunks).toString('utf8');
    const m = /"id":"([^"]+)".*"occurredAt":"([^"]+)"/.exec(body);
    const path = req.url ?? '/';
    let s = stats.get(path);
    if (!s) {
      s = { count: 0, ids: new Set(), first: now, last: now, latencies: [] };
      stats.set(path, s);
    }
    s.count++;
    s.last = now;
    if (m) {
      s.ids.add(m[1]!);
      s.latencies.push(now - Date.parse(m[2]!));
    }
  });
});
server.keepAliveTimeout = 120_000;

const dead = net.createServer((socket) => {
  socket.on('data', () => undefined); // read, never answer
  socket.on('error', () => undefined);
});

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;

process.on('message', (msg: { cmd: string; path?: string }) => {
  if (msg.cmd === 'stats') {
    const s = stats.get(msg.path ?? '/');
    const sorted = [...(s?.latencies ?? [])].sort((a, b) => a - b);
    process.send!({
      count: s?.count ?? 0,
      unique: s?.ids.size ?? 0,
      first: s?.first ?? 0,
      last: s?.last ?? 0,
      p50: pct(sorted, 0.5),
      p99: pct(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? NaN,
    });
  }
});

server.listen(0, '127.0.0.1', () => {
  dead.listen(0, '127.0.0.1', () => {
    process.send!({
      port: (server.address() as net.AddressInfo).port,
      deadPort: (dead.address() as net.AddressInfo).port,
    });
  });
});
