/**
 * Limits count in fixed windows aligned to the clock (RATE_LIMIT_*: BURST/PER_SECOND seconds;
 * failed authentications: the minute). A test that spends a budget and expects the refusal
 * waits, when needed, for a window with `needMs` left, so that no boundary resets the count
 * half-way.
 */
export async function untilWindowHasRoom(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 20));
}
