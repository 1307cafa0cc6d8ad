import { Principal } from '@wwb/accounts';
import { reachOf, withinReach } from './faq-bot.policy';

describe('reach of a restricted API key', () => {
  it('an unrestricted key reaches every bot', () => {
    const reach = reachOf(new Principal('acc_a', 'key_a'));
    expect(reach).toBeUndefined();
    expect(withinReach([], reach)).toBe(true);
    expect(withinReach(['con_x'], reach)).toBe(true);
    expect(reachOf(new Principal('acc_a', 'key_a', []))).toBeUndefined();
  });

  it('a restricted key reaches only bots limited to its connections', () => {
    const reach = reachOf(new Principal('acc_a', 'key_a', ['con_1', 'con_2']));
    expect(reach).toEqual(['con_1', 'con_2']);
    expect(withinReach(['con_1'], reach)).toBe(true);
    expect(withinReach(['con_2', 'con_1'], reach)).toBe(true);
    expect(withinReach(['con_1', 'con_3'], reach)).toBe(false);
    // Empty = every connection of the account, more than the key has.
    expect(withinReach([], reach)).toBe(false);
  });
});
