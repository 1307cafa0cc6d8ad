import { assertStrongPassword, PasswordService, SCRYPT_PARAMS } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('stores scrypt with its parameters, a 16-byte salt and a 64-byte key, and verifies it', async () => {
    const stored = await passwords.hash('correct horse battery');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual([
      'scrypt',
      SCRYPT_PARAMS.N,
      SCRYPT_PARAMS.r,
      SCRYPT_PARAMS.p,
    ]);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(64);
    expect(stored).not.toContain('correct horse');
    expect(await passwords.verify('correct horse battery', stored)).toBe(true);
    expect(await passwords.verify('correct horse batterY', stored)).toBe(false);
    expect(await passwords.verify('', stored)).toBe(false);
  });

  it('salts: the same password never gives the same string', async () => {
    const a = await passwords.hash('same password 1');
    const b = await passwords.hash('same password 1');
    expect(a).not.toBe(b);
    expect(await passwords.verify('same password 1', b)).toBe(true);
  });

  it('verifies hashes made with other parameters (they are read from the string)', async () => {
    const stored = await passwords.hash('older setting!');
    const cheaper = stored.replace(/^scrypt\$16384\$/, 'scrypt$1024$');
    // Same salt and key under other parameters: no longer the password's hash.
    expect(await passwords.verify('older setting!', cheaper)).toBe(false);
    expect(await passwords.verify('older setting!', stored)).toBe(true);
  });

  it('treats malformed or out-of-bounds strings as no match', async () => {
    const stored = await passwords.hash('some password');
    for (const bad of [
      '',
      'plain',
      stored.replace('scrypt', 'bcrypt'),
      stored.replace('$16384$', '$1000$'), // N not a power of two
      stored.replace('$16384$', '$1048576$'), // N too costly
      stored.replace('$8$1$', '$99$1$'),
      `${stored}$extra`,
    ]) {
      expect(await passwords.verify('some password', bad)).toBe(false);
    }
  });

  it('spends a verification on an unknown user and still answers no', async () => {
    await expect(passwords.verifyNothing('anything at all')).resolves.toBe(false);
  });
});

describe('assertStrongPassword', () => {
  it('accepts 10 to 200 characters, counted as characters (not UTF-16 units)', () => {
    expect(() => assertStrongPassword('a'.repeat(10))).not.toThrow();
    expect(() => assertStrongPassword('a'.repeat(200))).not.toThrow();
    expect(() => assertStrongPassword('😀'.repeat(10))).not.toThrow();
  });

  it('refuses shorter or longer ones with 400 weak_password naming the field', () => {
    for (const pw of ['', 'a'.repeat(9), '😀'.repeat(9), 'a'.repeat(201)]) {
      try {
        assertStrongPassword(pw);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toMatchObject({ kind: 'invalid', code: 'weak_password' });
        expect((err as Error).message).toContain('password');
      }
    }
  });
});
