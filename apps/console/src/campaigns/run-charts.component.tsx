import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../ui/format.mapper';
import type { AnalyticsReport } from './campaign.dto';
import { dailyRows, label, SERIES, type FunnelStep } from './run-report.mapper';

/** Distinct enough for colour-blind readers, dark enough on white; the tables carry the numbers. */
const COLOURS: Readonly<Record<(typeof SERIES)[number], string>> = {
  sent: '#1d4ed8',
  delivered: '#0f766e',
  read: '#7c3aed',
  replied: '#b45309',
  failed: '#b91c1c',
};

/**
 * The chart is a picture for sighted readers (role img, with a summary); the table after it holds
 * the same figures for everyone else and for exact reading.
 */
export function FunnelChart({ steps, testId }: { steps: FunnelStep[]; testId: string }) {
  const summary = steps.map((s) => `${s.stage} ${s.count}`).join(', ');
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>Funnel: how far the recipients got</figcaption>
      <div
        className="chart-box"
        role="img"
        aria-label={`Funnel chart: ${summary}. The table below lists the same figures.`}
      >
        <ResponsiveContainer width="100%" height={220}>
          <BarChart
            data={steps}
            layout="vertical"
            margin={{ left: 16, right: 24 }}
            accessibilityLayer={false}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="stage" width={80} />
            <Tooltip />
            <Bar dataKey="count" name="Recipients" fill="#0f766e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid={`${testId}-table`}>
          <caption className="visually-hidden">Funnel figures</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Recipients</th>
              <th scope="col">Of targeted</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.stage} data-stage={s.stage}>
                <th scope="row">{s.stage}</th>
                <td>{formatCount(s.count)}</td>
                <td>{steps[0]!.count ? `${Math.round((s.count / steps[0]!.count) * 100)}%` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** Sent, delivered, read, replied and failed per day (analytics counts them seconds behind). */
export function DailyChart({ report, testId }: { report: AnalyticsReport; testId: string }) {
  const rows = dailyRows(report);
  const t = report.totals;
  const summary = SERIES.map((s) => `${label(s)} ${t[s]}`).join(', ');
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        Per day, {report.from} to {report.to} ({report.timeZone})
      </figcaption>
      <div
        className="chart-box"
        role="img"
        aria-label={`Daily chart. Totals: ${summary}. The table below lists each day.`}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ left: 8, right: 24 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="date" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {SERIES.map((s) => (
              <Bar key={s} dataKey={s} name={label(s)} fill={COLOURS[s]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid={`${testId}-table`}>
          <caption className="visually-hidden">Figures per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {SERIES.map((s) => (
                <th scope="col" key={s}>
                  {label(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => SERIES.some((s) => r[s] > 0))
              .map((r) => (
                <tr key={r.date}>
                  <th scope="row">{r.date}</th>
                  {SERIES.map((s) => (
                    <td key={s}>{formatCount(r[s])}</td>
                  ))}
                </tr>
              ))}
            <tr className="total-row">
              <th scope="row">Total</th>
              {SERIES.map((s) => (
                <td key={s} data-series={s}>
                  {formatCount(t[s])}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </figure>
  );
}
