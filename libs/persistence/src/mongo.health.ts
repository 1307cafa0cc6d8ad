import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

@Injectable()
export class MongoHealth {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async check(timeoutMs = 2000): Promise<{ up: boolean; latencyMs?: number; error?: string }> {
    const started = Date.now();
    try {
      const db = this.connection.db;
      if (!db) return { up: false, error: 'not connected' };
      await withTimeout(db.command({ ping: 1 }), timeoutMs);
      return { up: true, latencyMs: Date.now() - started };
    } catch (err) {
      return { up: false, error: (err as Error).message };
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
