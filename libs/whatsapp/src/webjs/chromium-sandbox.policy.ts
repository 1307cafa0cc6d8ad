import type { Logger } from 'pino';

export interface SandboxDecision {
  /** Whether Chromium keeps its sandbox (no `--no-sandbox`). */
  sandbox: boolean;
  /** Why the sandbox is off. */
  reason?: string;
}

/**
 * Whether the browsers of this process can keep Chromium's sandbox. Chromium refuses to start
 * sandboxed as root, so root (tests, a container without a USER) runs it unsandboxed; the Docker
 * image runs as a normal user and keeps it. Running unsandboxed is a weaker isolation between a
 * hostile page and the host, so it is logged, once per process (not once per browser).
 */
export class ChromiumSandboxPolicy {
  private warned = false;

  constructor(private readonly uid: () => number | undefined = () => process.getuid?.()) {}

  decide(extraArgs: readonly string[] = []): SandboxDecision {
    if (extraArgs.includes('--no-sandbox'))
      return { sandbox: false, reason: 'extra Chromium args ask for it' };
    if (this.uid() === 0) return { sandbox: false, reason: 'the process runs as root' };
    return { sandbox: true };
  }

  /** The decision for one browser launch; the first unsandboxed one of the process warns. */
  decideAndReport(logger: Logger, extraArgs: readonly string[] = []): SandboxDecision {
    const decision = this.decide(extraArgs);
    if (!decision.sandbox && !this.warned) {
      this.warned = true;
      logger.warn(
        { reason: decision.reason },
        `Chromium runs without its sandbox (--no-sandbox): ${decision.reason}; run as a non-root user (as the Docker image does) to keep it`,
      );
    }
    return decision;
  }
}

/** The one policy of the process, so that the warning is printed once whatever the drivers. */
export const PROCESS_CHROMIUM_SANDBOX = new ChromiumSandboxPolicy();
