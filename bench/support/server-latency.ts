import { TEST_METRICS_TOKEN } from '@wwb/testing';

/** Server-side latency of the send route from the API's /metrics. */
export async function serverSide(base: string): Promise<string | undefined> {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` } })
  ).text();
  const buckets = [
    ...text.matchAll(
      /wwb_http_request_duration_seconds_bucket\{le="([^"]+)",method="POST",route="\/v1\/connections\/:id\/messages",status="202"\} (\d+)/g,
    ),
  ];
  const total = Number(buckets.find((b) => b[1] === '+Inf')?.[2] ?? 0);
  if (!total) return undefined;
  return (
    'server-side POST .../messages: ' +
    buckets
      .filter((b) => ['0.001', '0.0025', '0.005', '0.01', '0.025'].includes(b[1]!))
      .map((b) => `<=${Number(b[1]) * 1000}ms ${((100 * Number(b[2])) / total).toFixed(2)}%`)
      .join(', ') +
    ` of ${total}`
  );
}
