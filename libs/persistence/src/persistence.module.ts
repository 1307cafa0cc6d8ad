import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '@wwb/config';
import { MongoHealth } from './mongo.health';

/**
 * One mongoose connection per process. Code stays inside the subset that both MongoDB 7+
 * and FerretDB 1.24 serve: no multi-document transactions, single-document atomic updates,
 * unique indexes for idempotency (see docs/architecture.md).
 */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongo.uri,
        autoIndex: config.mongo.autoIndex,
        autoCreate: true,
        serverSelectionTimeoutMS: 10_000,
        maxPoolSize: 20,
      }),
    }),
  ],
  providers: [MongoHealth],
  exports: [MongoHealth],
})
export class PersistenceModule {}
