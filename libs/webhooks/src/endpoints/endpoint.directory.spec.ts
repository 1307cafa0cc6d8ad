import { EventEnvelope } from '@wwb/contracts';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { EndpointDirectory } from './endpoint.directory';
import {
  ENDPOINT_CHANGE_SETTLE_MS,
  EndpointSnapshotData,
  WebhookEndpointRepository,
} from './webhook-endpoint.repository';
import { WebhookEndpointRecord } from './webhook-endpoint.schema';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

const endpoint = (id: string, over: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
  _id: id,
  accountId: 'acc_1',
  url: 'https://example.com',
  events: ['*'],
  connectionIds: [],
  headers: [],
  ordering: 'none',
  createdAt: new Date(T0),
  updatedAt: new Date(T0),
  enabledAt: new Date(T0),
  ...over,
});

const event = (over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  id: '01E',
  type: 'message.received',
  version: 1,
  occurredAt: new Date(T0 + 1000).toISOString(),
  accountId: 'acc_1',
  data: {},
  ...over,
});

function directory(data: EndpointSnapshotData, version = 'v1') {
  const repository = {
    snapshot: jest.fn(async () => data),
    version: jest.fn(async () => version),
  };
  const clock = new Clock();
  const logger = { child: () => ({ error: jest.fn(), warn: jest.fn() }) } as unknown as AppLogger;
  return {
    dir: new EndpointDirectory(repository as unknown as WebhookEndpointRepository, clock, logger),
    repository,
  };
}

describe('EndpointDirectory', () => {
  it('matches by account, pattern, connection, creation time; skips disabled endpoints', async () => {
    const { dir } = directory({
      endpoints: [
        endpoint('whk_all'),
        endpoint('whk_msg', { events: ['message.*'] }),
        endpoint('whk_conn', { connectionIds: ['con_a'] }),
        endpoint('whk_later', { createdAt: new Date(T0 + 5000) }),
        endpoint('whk_off'),
        endpoint('whk_other', { accountId: 'acc_2' }),
      ],
      secrets: [],
      disables: [{ _id: 'whk_off', accountId: 'acc_1', reason: 'manual', disabledAt: new Date(T0) }],
    });
    await dir.load();
    const ids = (e: EventEnvelope) => dir.match(e).map((c) => c.record._id);
    expect(ids(event())).toEqual(['whk_all', 'whk_msg']);
    expect(ids(event({ connectionId: 'con_a' }))).toEqual(['whk_all', 'whk_msg', 'whk_conn']);
    expect(ids(event({ type: 'connection.ready', connectionId: 'con_b' }))).toEqual(['whk_all']);
    expect(ids(event({ occurredAt: new Date(T0 + 6000).toISOString() }))).toEqual([
      'whk_all',
      'whk_msg',
      'whk_later',
    ]);
  });

  it('sends webhook.test only to its endpoint and webhook.endpoint.disabled not to the disabled one', async () => {
    const { dir } = directory({
      endpoints: [endpoint('whk_a'), endpoint('whk_b')],
      secrets: [],
      disables: [],
    });
    await dir.load();
    const test = event({ type: 'webhook.test', data: { endpointId: 'whk_b' } });
    expect(dir.match(test).map((c) => c.record._id)).toEqual(['whk_b']);
    const disabled = event({ type: 'webhook.endpoint.disabled', data: { endpointId: 'whk_a' } });
    expect(dir.match(disabled).map((c) => c.record._id)).toEqual(['whk_b']);
  });

  it('reloads only when the settings version changed, and reports removed and disabled endpoints', async () => {
    const data: EndpointSnapshotData = {
      endpoints: [endpoint('whk_a'), endpoint('whk_b')],
      secrets: [],
      disables: [],
    };
    const { dir, repository } = directory(data);
    const changes: string[] = [];
    dir.onChange((c) => changes.push(`${c.kind}:${c.endpointId}`));
    await dir.load();
    // Events within the settle window of the last check need no new read.
    const reads = repository.version.mock.calls.length;
    await dir.ensureFresh(Date.now());
    expect(repository.version.mock.calls.length).toBe(reads);
    // An event later than that waits for a check; the version is unchanged: no reload.
    await dir.ensureFresh(Date.now() + ENDPOINT_CHANGE_SETTLE_MS + 1);
    expect(repository.version.mock.calls.length).toBe(reads + 1);
    expect(repository.snapshot).toHaveBeenCalledTimes(1);
    repository.version.mockResolvedValue('v2');
    data.endpoints = [endpoint('whk_a')];
    data.disables = [{ _id: 'whk_a', accountId: 'acc_1', reason: 'gone', disabledAt: new Date(T0) }];
    await dir.ensureFresh(Date.now() + ENDPOINT_CHANGE_SETTLE_MS + 1);
    expect(repository.snapshot).toHaveBeenCalledTimes(2);
    expect(changes.sort()).toEqual(['disabled:whk_a', 'removed:whk_b']);
  });
});
