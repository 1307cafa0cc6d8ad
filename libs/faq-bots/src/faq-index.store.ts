import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { FaqEntryData, FaqMatcher } from './faq-matching.policy';

/** Indexed documents (question variants + keywords) kept per process, across all bots. */
export const MAX_CACHED_DOCS = 400_000;

export interface FaqIndexSource {
  language: string;
  entries: FaqEntryData[];
}

interface Cached {
  version: string;
  matcher: FaqMatcher;
}

/**
 * A bot's matcher, built once per version of its entries and language and kept in an LRU cache
 * (bounded by indexed documents). The caller reads the bot's current version on every use (one
 * small read), so a change made through any process is picked up by all of them at their next use.
 * Concurrent requests for one version share one build.
 */
@Injectable()
export class FaqIndexStore {
  private readonly cache = new LRUCache<string, Cached>({
    maxSize: MAX_CACHED_DOCS,
    sizeCalculation: (v) => Math.max(1, v.matcher.size),
  });
  private readonly building = new Map<string, Promise<FaqMatcher>>();

  async matcher(botId: string, version: string, load: () => Promise<FaqIndexSource>): Promise<FaqMatcher> {
    const cached = this.cache.get(botId);
    if (cached?.version === version) return cached.matcher;
    const key = `${botId}@${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = load()
        .then(({ entries, language }) => {
          const matcher = new FaqMatcher(entries, language);
          this.cache.set(botId, { version, matcher });
          return matcher;
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  forget(botId: string): void {
    this.cache.delete(botId);
  }
}
