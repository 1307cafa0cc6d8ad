import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import type { Connection, QrCode } from '../api/api.dto';
import { useConnectionEvents } from '../connections/connection-events.client';
import { applyEvent } from '../connections/connection-status.mapper';
import { StatusBadge } from '../connections/status-badge.component';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { viewerTimeZone } from '../ui/format.mapper';
import { ConnectionActions } from './connection-actions.component';

/** Read again on this timer only while the live stream is refused or gone. */
const POLL_MS = 5_000;

/** One connection: its status live, the QR code to scan while it waits for one, and its controls. */
export function ConnectionDetailPage({ id }: { id: string }) {
  const user = useUser();
  const manage = can(user.role, 'connections.manage');
  const loaded = useApiData(() => call(api.GET('/v1/connections/{id}', { params: { path: { id } } })), id);
  const [connection, setConnection] = useState<Connection>();
  const [qr, setQr] = useState<QrCode>();
  const [qrVersion, setQrVersion] = useState(0);
  const [deleted, setDeleted] = useState(false);

  useEffect(() => setConnection(loaded.data), [loaded.data]);

  const stream = useConnectionEvents(deleted ? null : id, {
    onSnapshot: (snapshot) => {
      setConnection(snapshot);
      // A new stream may have missed a connection.qr while it was down: read the code again.
      if (snapshot.status === 'qr') setQrVersion((v) => v + 1);
    },
    onEvent: (event) => {
      if (event.type === 'connection.qr') setQrVersion((v) => v + 1);
      if (event.type === 'connection.deleted') setDeleted(true);
      setConnection((c) => (c ? applyEvent(c, event) : c));
    },
  });

  const { reload } = loaded;
  useEffect(() => {
    if (stream !== 'offline' || deleted) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [stream, deleted, reload]);

  const waitingForScan = connection?.status === 'qr';
  const loadQr = useCallback(async () => {
    const result = await call(api.GET('/v1/connections/{id}/qr', { params: { path: { id }, query: {} } }));
    setQr(result.ok ? result.data : undefined);
  }, [id]);
  useEffect(() => {
    if (waitingForScan) void loadQr();
    else setQr(undefined);
  }, [waitingForScan, qrVersion, loadQr]);

  if (deleted) {
    return (
      <Page title="Connection deleted">
        <p>This connection was deleted.</p>
        <p>
          <Link to={urls.connections}>Back to connections</Link>
        </p>
      </Page>
    );
  }
  if (!connection) {
    if (loaded.problem) {
      const message =
        loaded.problem.status === 404
          ? 'There is no such connection in your account.'
          : loaded.problem.message;
      return (
        <Page title="Connection">
          <LoadError message={message} onRetry={loaded.reload} />
          <p>
            <Link to={urls.connections}>Back to connections</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title="Connection">
        <p className="muted">Loading…</p>
      </Page>
    );
  }

  return (
    <Page title={connection.name}>
      <p className="breadcrumb">
        <Link to={urls.connections}>Connections</Link> / {connection.name}
      </p>
      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <div aria-live="polite" data-testid="connection-status">
          <StatusBadge status={connection.status} />
          {connection.statusReason && <span className="muted status-reason">{connection.statusReason}</span>}
        </div>
        <p className="muted small">
          {stream === 'live'
            ? 'Updates live.'
            : stream === 'connecting'
              ? 'Connecting to live updates…'
              : 'Updated every few seconds.'}{' '}
          Times in your time zone ({viewerTimeZone()}).
        </p>
        <dl className="facts">
          <dt>Phone</dt>
          <dd>{connection.phoneNumber ? `+${connection.phoneNumber}` : 'Not linked yet'}</dd>
          <dt>WhatsApp name</dt>
          <dd>{connection.pushName ?? '—'}</dd>
          <dt>Status since</dt>
          <dd>
            <Time iso={connection.statusAt} />
          </dd>
          <dt>Ready since</dt>
          <dd>
            <Time iso={connection.readyAt} />
          </dd>
          <dt>Last error</dt>
          <dd>
            {connection.lastError ? (
              <>
                {connection.lastError} (<Time iso={connection.lastErrorAt} />)
              </>
            ) : (
              '—'
            )}
          </dd>
          <dt>Driver</dt>
          <dd>{connection.driver}</dd>
          <dt>Created</dt>
          <dd>
            <Time iso={connection.createdAt} />
          </dd>
        </dl>
      </section>
      {waitingForScan && (
        <section className="card qr-card" aria-labelledby="qr-title">
          <h2 id="qr-title">Link a phone</h2>
          <ol className="steps">
            <li>Open WhatsApp on the phone.</li>
            <li>Go to Settings, then Linked devices, then Link a device.</li>
            <li>Point the phone at this code. It is replaced by a new one every 20 seconds or so.</li>
          </ol>
          {qr ? (
            <figure className="qr">
              <img
                src={qr.image}
                alt="QR code to scan with WhatsApp"
                width={264}
                height={264}
                data-testid="qr-image"
              />
              <figcaption className="muted small">
                Issued <Time iso={qr.issuedAt} />
              </figcaption>
            </figure>
          ) : (
            <p className="muted">Waiting for the QR code…</p>
          )}
        </section>
      )}
      {manage ? (
        <ConnectionActions connection={connection} onChange={setConnection} />
      ) : (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see this connection but not change it.
        </p>
      )}
    </Page>
  );
}
