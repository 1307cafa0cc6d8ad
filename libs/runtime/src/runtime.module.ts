import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.service';
import { IdGenerator } from './id.generator';

@Global()
@Module({ providers: [Clock, IdGenerator], exports: [Clock, IdGenerator] })
export class RuntimeModule {}
