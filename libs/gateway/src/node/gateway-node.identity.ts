import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { IdGenerator } from '@wwb/runtime';

/** This gateway process: a new id per process (`gw_<ULID>`), in state documents and heartbeats. */
@Injectable()
export class GatewayNodeIdentity {
  readonly id: string;
  readonly host = hostname();
  readonly pid = process.pid;
  readonly startedAt = new Date();

  constructor(ids: IdGenerator) {
    this.id = ids.prefixed('gw');
  }
}
