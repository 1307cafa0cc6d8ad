import { Injectable } from '@nestjs/common';
import { KafkaHealth } from '@wwb/kafka';
import { MongoHealth } from '@wwb/persistence';

export interface DependencyCheck {
  up: boolean;
  latencyMs?: number;
  error?: string;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { mongo: DependencyCheck; kafka: DependencyCheck };
}

/** Whether this process can serve: MongoDB and Kafka answer. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly mongo: MongoHealth,
    private readonly kafka: KafkaHealth,
  ) {}

  async check(): Promise<Readiness> {
    const [mongo, kafka] = await Promise.all([this.mongo.check(), this.kafka.check()]);
    return { status: mongo.up && kafka.up ? 'ok' : 'unavailable', checks: { mongo, kafka } };
  }
}
