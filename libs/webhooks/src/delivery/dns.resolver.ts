import { Injectable } from '@nestjs/common';
import { ResolvedAddress, systemResolver } from '@wwb/infrastructure';

export type { ResolvedAddress };

/**
 * The host resolution webhook connections use (@wwb/infrastructure's), as a provider so that
 * tests can point names at chosen addresses.
 */
@Injectable()
export class DnsResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]> {
    return systemResolver(hostname);
  }
}
