/* The accept bench's runs in its own figures: autocannon at a rate, the Node paced loader. */
import autocannon from 'autocannon';
import { pacedRequests, percentile } from './bench-api';

export interface Figures {
  label: string;
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function figures(
  label: string,
  times: number[],
  extra: Omit<Figures, 'label' | 'p50' | 'p99' | 'p999' | 'max'>,
): Figures {
  times.sort((a, b) => a - b);
  return {
    label,
    ...extra,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    p999: percentile(times, 99.9),
    max: times[times.length - 1] ?? NaN,
  };
}

export function autocannonRun(
  label: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  rate: number,
  durationS: number,
  connections: number,
) {
  return new Promise<Figures>((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers,
        body,
        connections,
        duration: durationS,
        overallRate: rate,
      },
      (err, result) => {
        if (err) return reject(err);
        resolve(
          figures(label, times, {
            requests: result.requests.total,
            rps: result.requests.total / result.duration,
            non2xx: result.non2xx,
            errors: result.errors,
          }),
        );
      },
    );
    instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
  });
}

/** The paced run (bench/support/bench-api.ts) as this bench reports it. */
export async function paced(
  label: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  rate: number,
  durationS: number,
): Promise<Figures> {
  const r = await pacedRequests({ url, method: 'POST', headers, body, expectStatus: 202, rate, durationS });
  return figures(label, r.times, {
    requests: r.requests,
    rps: r.rps,
    non2xx: r.unexpected,
    errors: r.errors,
  });
}
