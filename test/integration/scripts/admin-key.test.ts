import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../../scripts/admin-key.sh');

describe('scripts/admin-key.sh (the key scripts/run.sh generates)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string) =>
    // A permissive umask, as a careless shell would have: the script must not rely on it.
    execFileSync('bash', ['-c', `umask 022; "${SCRIPT}" "${file}"`], { encoding: 'utf8' });

  it('generates a 64-hex-digit key readable by the owner only (mode 600)', () => {
    const file = join(dir, 'run', 'admin-api-key');
    const key = run(file);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(run(file)).toBe(key);
  });

  it('tightens a key file an older run left readable to others, and keeps its key', () => {
    const file = join(dir, 'admin-api-key');
    writeFileSync(file, 'a'.repeat(64));
    chmodSync(file, 0o644);
    expect(run(file)).toBe('a'.repeat(64));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
