import { attachPrincipal, Principal, principalOf } from './principal.model';
import { presentedKey } from '../keys/presented-key';
import { isAdminKey } from './admin.guard';
import { createHash } from 'node:crypto';

describe('Principal', () => {
  it('an unrestricted key may use any connection and grant anything', () => {
    const p = new Principal('acc_1', 'key_1');
    expect(p.scope).toEqual({ accountId: 'acc_1' });
    expect(p.mayUseConnection('con_x')).toBe(true);
    expect(p.mayGrant(undefined)).toBe(true);
    expect(p.mayGrant(['con_x'])).toBe(true);
  });

  it('a restricted key may use and grant only its connections', () => {
    const p = new Principal('acc_1', 'key_1', ['con_a', 'con_b']);
    expect(p.mayUseConnection('con_a')).toBe(true);
    expect(p.mayUseConnection('con_c')).toBe(false);
    expect(p.mayGrant(['con_b'])).toBe(true);
    expect(p.mayGrant(['con_b', 'con_c'])).toBe(false);
    expect(p.mayGrant(undefined)).toBe(false);
    expect(p.mayGrant([])).toBe(false);
  });

  it('travels on the request object', () => {
    const req = {};
    expect(principalOf(req)).toBeUndefined();
    const p = new Principal('acc_1', 'key_1');
    attachPrincipal(req, p);
    expect(principalOf(req)).toBe(p);
  });
});

describe('presentedKey', () => {
  it('reads Bearer first, then X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'bearer  abc ' })).toBe('abc');
    expect(presentedKey({ authorization: 'Bearer abc', 'x-api-key': 'def' })).toBe('abc');
    expect(presentedKey({ authorization: 'Basic abc', 'x-api-key': 'def' })).toBe('def');
    expect(presentedKey({ 'x-api-key': ' def ' })).toBe('def');
    expect(presentedKey({ authorization: 'Basic abc' })).toBeUndefined();
    expect(presentedKey({ authorization: 'Bearer a b' })).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});

describe('isAdminKey', () => {
  const digest = createHash('sha256').update('the-operator-key-0123456789abcdef').digest();
  it('compares digests, so any length is safe', () => {
    expect(isAdminKey('the-operator-key-0123456789abcdef', digest)).toBe(true);
    expect(isAdminKey('the-operator-key-0123456789abcdeF', digest)).toBe(false);
    expect(isAdminKey('x', digest)).toBe(false);
    expect(isAdminKey(undefined, digest)).toBe(false);
  });
});
