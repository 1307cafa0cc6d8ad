import { matchesAny, matchesPattern, unknownPatterns } from './event-pattern';

describe('event patterns', () => {
  it('matches exact types, prefix patterns at any depth and *', () => {
    expect(matchesPattern('message.received', 'message.received')).toBe(true);
    expect(matchesPattern('message.received', 'message.receivedx')).toBe(false);
    expect(matchesPattern('message.*', 'message.received')).toBe(true);
    expect(matchesPattern('message.*', 'message.status.updated')).toBe(true);
    expect(matchesPattern('message.*', 'messages.received')).toBe(false);
    expect(matchesPattern('message.*', 'message')).toBe(false);
    expect(matchesPattern('*', 'anything.at_all')).toBe(true);
    expect(matchesAny(['connection.*', 'message.received'], 'message.received')).toBe(true);
    expect(matchesAny([], 'message.received')).toBe(false);
  });

  it('reports filters that are malformed or match no catalogued type', () => {
    expect(unknownPatterns(['*', 'message.*', 'webhook.endpoint.disabled'])).toEqual([]);
    expect(unknownPatterns(['mesage.*', 'message.recieved', 'Message.*', 'message.*.x', '**'])).toEqual([
      'mesage.*',
      'message.recieved',
      'Message.*',
      'message.*.x',
      '**',
    ]);
  });
});
