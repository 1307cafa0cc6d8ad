import { EVENT_DEFINITIONS } from '@wwb/contracts';

/**
 * Event filters of an endpoint: exact types (`message.received`), prefix patterns ending in `.*`
 * (`message.*` = every type under `message.`, at any depth) and `*` (every type).
 */
export const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function matchesAny(patterns: readonly string[], type: string): boolean {
  for (const p of patterns) if (matchesPattern(p, type)) return true;
  return false;
}

/**
 * The filters that match no catalogued event type (typos), or are not well-formed. Internal
 * `webhook.test` events are never matched by filters (they go to the one endpoint tested).
 */
export function unknownPatterns(patterns: readonly string[]): string[] {
  const types = EVENT_DEFINITIONS.map((d) => d.type);
  return patterns.filter((p) => !EVENT_PATTERN.test(p) || !types.some((t) => matchesPattern(p, t)));
}
