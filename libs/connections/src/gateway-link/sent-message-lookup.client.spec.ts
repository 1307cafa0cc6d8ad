import { scopeOf } from '@wwb/persistence';
import { SentMessageLookupClient } from './sent-message-lookup.client';

describe('SentMessageLookupClient', () => {
  it('knows no message until messaging provides its lookup, then asks it with the scope', async () => {
    const client = new SentMessageLookupClient();
    expect(await client.waMessageIdOf(scopeOf('acc_a'), 'con_1', 'msg_1')).toBeNull();

    const asked: unknown[] = [];
    client.provide(async (scope, connectionId, messageId) => {
      asked.push([scope.accountId, connectionId, messageId]);
      return scope.accountId === 'acc_a' ? 'true_1@c.us_ABC' : null;
    });
    expect(await client.waMessageIdOf(scopeOf('acc_a'), 'con_1', 'msg_1')).toBe('true_1@c.us_ABC');
    expect(await client.waMessageIdOf(scopeOf('acc_b'), 'con_1', 'msg_1')).toBeNull();
    expect(asked).toEqual([
      ['acc_a', 'con_1', 'msg_1'],
      ['acc_b', 'con_1', 'msg_1'],
    ]);
    expect(() => client.provide(async () => null)).toThrow(/already provided/);
  });
});
