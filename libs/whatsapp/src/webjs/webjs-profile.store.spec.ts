import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { WebJsAuthStrategy } from './webjs-auth.strategy';
import { WebJsProfileStore } from './webjs-profile.store';

describe('WebJsProfileStore', () => {
  let dir: string;
  const store = new WebJsProfileStore(pino({ level: 'silent' }));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webjs-profile-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes the Singleton locks and nothing else', async () => {
    for (const f of ['SingletonLock', 'SingletonSocket', 'SingletonCookie', 'Preferences'])
      await writeFile(join(dir, f), 'x');
    await store.removeLocks(dir);
    expect(await readdir(dir)).toEqual(['Preferences']);
    await expect(store.removeLocks(dir)).resolves.toBeUndefined(); // none left: fine
  });

  it('deletes the session, and logs rather than throws when that fails', async () => {
    const deleteSession = jest.fn(async () => undefined);
    await store.deleteSession(() => ({ deleteSession }) as unknown as WebJsAuthStrategy);
    expect(deleteSession).toHaveBeenCalledTimes(1);
    await expect(
      store.deleteSession(() => {
        throw new Error('bad options');
      }),
    ).resolves.toBeUndefined();
  });
});
