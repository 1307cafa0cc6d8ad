import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { bootstrapApi } from '../../../apps/api/src/main';
import type { AppConfig } from '@wwb/config';
import { TEST_ADMIN_KEY, testConfig } from '@wwb/testing';

export interface E2eApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: TestAgent;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real API on a free loopback port, with its own Mongo database and Kafka topic prefix. */
export async function startApi(overrides: Record<string, string> = {}): Promise<E2eApp> {
  const config = testConfig({ HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', ...overrides });
  const app = await bootstrapApi(config);
  const address = app.getHttpServer().address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const close = async () => {
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
    await deleteTopics(config);
  };
  return { app, config, http: request(baseUrl), baseUrl, close };
}

/** Removes the topics of this test file's prefix, so that runs do not pile them up in the broker. */
async function deleteTopics(config: AppConfig): Promise<void> {
  const admin = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = Object.values(config.kafka.topics).map((t) => t.name);
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)) });
  } finally {
    await admin.disconnect();
  }
}

export const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export interface CreatedAccount {
  id: string;
  key: string;
  keyId: string;
}

/** An account with one key issued by the operator. */
export async function accountWithKey(
  http: TestAgent,
  plan: 'starter' | 'professional' | 'enterprise' = 'professional',
): Promise<CreatedAccount> {
  const acc = await http
    .post('/v1/admin/accounts')
    .set(admin)
    .send({ name: `acct-${plan}`, plan })
    .expect(201);
  const key = await http
    .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
    .set(admin)
    .send({ name: 'first' })
    .expect(201);
  return { id: acc.body.id as string, key: key.body.key as string, keyId: key.body.id as string };
}
