import { can, roleLabel, ROLES } from './permissions.policy';

describe('can', () => {
  it('lets only admins manage connections', () => {
    expect(ROLES.filter((role) => can(role, 'connections.manage'))).toEqual(['admin']);
  });

  it('refuses an unknown or missing role', () => {
    expect(can('owner', 'connections.manage')).toBe(false);
    expect(can(undefined, 'connections.manage')).toBe(false);
  });
});

describe('roleLabel', () => {
  it('names known roles and shows others as they are', () => {
    expect(roleLabel('viewer')).toBe('Viewer');
    expect(roleLabel('auditor')).toBe('auditor');
  });
});
