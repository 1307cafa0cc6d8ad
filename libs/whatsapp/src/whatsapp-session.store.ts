/**
 * Where a linked WhatsApp session is kept between runs and between nodes. The four methods are
 * those of whatsapp-web.js's RemoteAuth store, with the archive path made explicit on `save`
 * (RemoteAuth leaves it implicit, which is how `wwebjs-mongo` broke with 1.34.x).
 *
 * A session is an opaque archive file (the zipped Chromium profile for webjs, a small JSON file
 * for the simulator). Implementations: GridFsSessionStore (MongoDB), LocalDirectorySessionStore,
 * MemorySessionStore (tests).
 */
export abstract class WhatsAppSessionStore {
  abstract sessionExists(options: { session: string }): Promise<boolean>;
  /** Stores the archive found at `path` under `session`, replacing any previous one. */
  abstract save(options: { session: string; path: string }): Promise<void>;
  /** Writes the archive of `session` to `path`. Throws when there is none. */
  abstract extract(options: { session: string; path: string }): Promise<void>;
  /** Removes the session; a missing session is not an error. */
  abstract delete(options: { session: string }): Promise<void>;
}
