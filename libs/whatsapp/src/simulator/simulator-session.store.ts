import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizePhoneNumber } from '../core/phone-number.util';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';

/** The account a simulated scan linked, as its session archive holds it. */
export interface StoredSession {
  version: 1;
  phoneNumber: string;
  pushName: string;
  linkedAt: number;
}

/**
 * The simulator's linked session in the ordinary session store (a small JSON file as the
 * archive), so a stopped or restarted simulator connection comes back `ready` without a QR,
 * here or on another node.
 */
export class SimulatorSessionStore {
  /** The archive's name: `simulator-<connectionId>`. */
  readonly name: string;

  constructor(
    private readonly store: WhatsAppSessionStore,
    private readonly connectionId: string,
  ) {
    this.name = `simulator-${connectionId.replace(/[^\w-]/g, '_')}`;
  }

  /** The session a scan links: the given account, else the configured one, else one derived from the id. */
  newSession(
    account: { phoneNumber?: string; pushName?: string },
    defaults: { phoneNumber?: string; pushName?: string },
    now: number,
  ): StoredSession {
    return {
      version: 1,
      phoneNumber: normalizePhoneNumber(account.phoneNumber ?? defaults.phoneNumber ?? this.defaultPhone()),
      pushName: account.pushName ?? defaults.pushName ?? 'Simulated Phone',
      linkedAt: now,
    };
  }

  async load(): Promise<StoredSession | undefined> {
    if (!(await this.store.sessionExists({ session: this.name }))) return undefined;
    const dir = await mkdtemp(join(tmpdir(), 'wwb-sim-'));
    try {
      const file = join(dir, 'session.json');
      await this.store.extract({ session: this.name, path: file });
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<StoredSession>;
      if (parsed.version !== 1 || typeof parsed.phoneNumber !== 'string') return undefined;
      return {
        version: 1,
        phoneNumber: parsed.phoneNumber,
        pushName: parsed.pushName ?? '',
        linkedAt: parsed.linkedAt ?? 0,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async save(session: StoredSession): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'wwb-sim-'));
    try {
      const file = join(dir, 'session.json');
      await writeFile(file, JSON.stringify(session));
      await this.store.save({ session: this.name, path: file });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  delete(): Promise<void> {
    return this.store.delete({ session: this.name });
  }

  /** The 8-character code the phone would type to link `digits` (instead of a scan). */
  pairingCode(digits: string, now: number): string {
    return createHash('sha256')
      .update(`${this.connectionId}:${digits}:${now}`)
      .digest('base64')
      .replace(/[^A-Z0-9]/gi, '')
      .toUpperCase()
      .slice(0, 8)
      .padEnd(8, 'X');
  }

  /** A stable `1555…` number per connection, so repeated demos link the same account. */
  private defaultPhone(): string {
    const n =
      Number.parseInt(createHash('sha256').update(this.connectionId).digest('hex').slice(0, 8), 16) %
      10_000_000;
    return `1555${String(n).padStart(7, '0')}`;
  }
}
