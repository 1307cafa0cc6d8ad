import type { AccountOverview } from '../api/api.dto';
import { usageRows } from './usage.mapper';

const account = {
  id: 'acc_1',
  name: 'Acme',
  plan: 'starter',
  limits: { apiKeys: 2, contacts: 1000, connections: 1, mediaBytes: 1024 ** 3, newThings: null },
  usage: { apiKeys: 1, connections: 1, mediaBytes: 1536, newThings: 4 },
} as unknown as AccountOverview;

describe('usageRows', () => {
  it('lists each limit with its use, connections first and unknown resources last', () => {
    const rows = usageRows(account, 'en');
    expect(rows.map((r) => r.resource)).toEqual([
      'connections',
      'apiKeys',
      'contacts',
      'mediaBytes',
      'newThings',
    ]);
    expect(rows[0]).toMatchObject({ label: 'WhatsApp connections', usedText: '1', limitText: '1', share: 1 });
    expect(rows[1]).toMatchObject({ label: 'API keys', share: 0.5 });
  });

  it('shows bytes as sizes, no limit as unlimited, and resources counted elsewhere as such', () => {
    const rows = Object.fromEntries(usageRows(account, 'en').map((r) => [r.resource, r]));
    expect(rows.mediaBytes).toMatchObject({ usedText: '1.5 KB', limitText: '1 GB' });
    expect(rows.newThings).toMatchObject({ label: 'New things', limitText: 'Unlimited', share: null });
    expect(rows.contacts).toMatchObject({ used: null, usedText: 'Not counted here', share: null });
  });
});
