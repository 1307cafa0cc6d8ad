import { isLastAdmin, isRole, ROLE_OPTIONS } from './users.policy';

describe('isLastAdmin', () => {
  it('is the only admin, and nobody else', () => {
    const users = [
      { id: 'a', role: 'admin' },
      { id: 'b', role: 'viewer' },
    ];
    expect(isLastAdmin(users, 'a')).toBe(true);
    expect(isLastAdmin(users, 'b')).toBe(false);
    expect(isLastAdmin([...users, { id: 'c', role: 'admin' }], 'a')).toBe(false);
  });
});

describe('roles', () => {
  it('offers every role with what it may do', () => {
    expect(ROLE_OPTIONS.map((o) => o.value)).toEqual(['admin', 'support', 'marketing', 'viewer']);
    expect(ROLE_OPTIONS[3]!.label).toBe('Viewer: reads only');
    expect(isRole('support')).toBe(true);
    expect(isRole('owner')).toBe(false);
  });
});
