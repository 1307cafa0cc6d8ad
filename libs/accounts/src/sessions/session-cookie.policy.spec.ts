import {
  clearedSessionCookie,
  isUnsafeMethod,
  readSessionCookie,
  sessionCookie,
  wantsSecureCookie,
} from './session-cookie.policy';
import { sameSecret } from './session-token.policy';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, on every path, with a Max-Age; Secure only when asked', () => {
    expect(sessionCookie('tok', 43_200, false)).toBe(
      'wwb_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200',
    );
    expect(sessionCookie('tok', 60, true)).toBe(
      'wwb_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure',
    );
    expect(clearedSessionCookie(true)).toBe(
      'wwb_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
    );
  });

  it('is read from a Cookie header among others; the first of duplicates wins', () => {
    expect(readSessionCookie('a=1; wwb_session=abc; b=2')).toBe('abc');
    expect(readSessionCookie('wwb_session=first; wwb_session=second')).toBe('first');
    expect(readSessionCookie('xwwb_session=abc; wwb_session_x=def')).toBeUndefined();
    expect(readSessionCookie('wwb_session=')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
    expect(readSessionCookie(['a=1', 'wwb_session=z'])).toBe('z');
  });

  it('is Secure over https, directly or behind a trusted proxy, or when PUBLIC_BASE_URL is https', () => {
    expect(wantsSecureCookie({ secure: true }, 'http://127.0.0.1:3000')).toBe(true);
    expect(wantsSecureCookie({ secure: false }, 'HTTPS://wwb.example.com')).toBe(true);
    expect(wantsSecureCookie({ secure: false }, 'http://127.0.0.1:3000')).toBe(false);
  });

  it('asks for the CSRF token on the methods that change something', () => {
    expect(['POST', 'put', 'PATCH', 'DELETE'].every(isUnsafeMethod)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(isUnsafeMethod)).toBe(false);
  });

  it('compares secrets whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abcd', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
