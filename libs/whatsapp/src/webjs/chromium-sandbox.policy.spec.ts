import type { Logger } from 'pino';
import { BASE_CHROMIUM_ARGS, chromiumArgs } from './chromium-launch.options';
import { ChromiumSandboxPolicy } from './chromium-sandbox.policy';

function fakeLogger() {
  const warnings: { obj: unknown; msg: string }[] = [];
  const logger = { warn: (obj: unknown, msg: string) => warnings.push({ obj, msg }) } as unknown as Logger;
  return { logger, warnings };
}

describe('ChromiumSandboxPolicy', () => {
  it('keeps the sandbox for a non-root user: no --no-sandbox anywhere, nothing logged', () => {
    const policy = new ChromiumSandboxPolicy(() => 1000);
    const { logger, warnings } = fakeLogger();
    const decision = policy.decideAndReport(logger);
    expect(decision).toEqual({ sandbox: true });
    expect(BASE_CHROMIUM_ARGS).not.toContain('--no-sandbox');
    expect(chromiumArgs({ connectionId: 'c1', sandbox: decision.sandbox })).not.toContain('--no-sandbox');
    expect(warnings).toEqual([]);
  });

  it('turns the sandbox off as root (Chromium refuses it there) and says so once per process', () => {
    const policy = new ChromiumSandboxPolicy(() => 0);
    const a = fakeLogger();
    const b = fakeLogger();
    for (let i = 0; i < 3; i++) {
      const decision = policy.decideAndReport(i === 0 ? a.logger : b.logger);
      expect(decision.sandbox).toBe(false);
      expect(chromiumArgs({ connectionId: `c${i}`, sandbox: decision.sandbox })).toContain('--no-sandbox');
    }
    expect(a.warnings).toHaveLength(1);
    expect(a.warnings[0]!.msg).toMatch(/without its sandbox.*runs as root/);
    expect(b.warnings).toEqual([]);
  });

  it('honours --no-sandbox in the extra args (once in the command line) and warns about it', () => {
    const policy = new ChromiumSandboxPolicy(() => 1000);
    const { logger, warnings } = fakeLogger();
    const extraArgs = ['--no-sandbox'];
    const decision = policy.decideAndReport(logger, extraArgs);
    expect(decision.sandbox).toBe(false);
    const args = chromiumArgs({ connectionId: 'c1', sandbox: decision.sandbox, extraArgs });
    expect(args.filter((a) => a === '--no-sandbox')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });
});
