import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine on the development machines: the image is checked as text.
const dockerfile = readFileSync(join(__dirname, '../../../docker/Dockerfile'), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('docker/Dockerfile (runtime image)', () => {
  it('runs as a non-root USER, declared before the command', () => {
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(finalStage.indexOf('\nUSER ')).toBeLessThan(finalStage.indexOf('\nCMD '));
    expect(finalStage).toMatch(/useradd [^\n]*wwb/);
  });

  it('keeps Chromium sandboxed: the setuid helper is installed and nothing disables the sandbox', () => {
    expect(finalStage).toMatch(/apt-get install[^\n]*\bchromium-sandbox\b/);
    expect(dockerfile).not.toContain('--no-sandbox');
  });

  it('gives the non-root user its data folder (profiles and sessions)', () => {
    expect(finalStage).toMatch(/chown wwb:wwb \/app\/\.data/);
  });
});
