import { Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution as a dependency (tests point names at chosen addresses). */
@Injectable()
export class DnsResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = await dns.lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }
}
