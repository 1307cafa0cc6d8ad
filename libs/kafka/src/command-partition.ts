import { createHash } from 'node:crypto';

/**
 * The commands-topic partition that owns a connection. Gateway nodes form one consumer group on
 * the commands topic; a node runs exactly the connections whose partition is assigned to it, so
 * API processes and gateways must agree on this function (and on the partition count).
 * Stable across processes and versions: the first 4 bytes of SHA-1, modulo the partitions.
 */
export function commandPartition(connectionId: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new Error(`invalid partition count ${partitions}`);
  return createHash('sha1').update(connectionId).digest().readUInt32BE(0) % partitions;
}
