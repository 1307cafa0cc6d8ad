/** `type/subtype` with optional parameters (`audio/ogg; codecs=opus`). */
const MIMETYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/;

/** `audio/ogg; codecs=opus` -> `audio/ogg` (lower case). */
export function baseMimetype(mimetype: string): string {
  return mimetype.split(';', 1)[0]!.trim().toLowerCase();
}

export function isWellFormedMimetype(mimetype: string): boolean {
  return MIMETYPE.test(mimetype.trim());
}

/** Which media families a message type takes (undefined = any allowed type). */
const FAMILY: Partial<Record<string, string>> = {
  image: 'image/',
  video: 'video/',
  audio: 'audio/',
  sticker: 'image/',
};

/** Whether a mime type suits a message type: an image needs image/*, a voice note audio/*, ... */
export function fitsMessageType(type: string, mimetype: string): boolean {
  const family = FAMILY[type];
  return family === undefined || baseMimetype(mimetype).startsWith(family);
}

/**
 * The media types the platform accepts (MEDIA_ALLOWED_MIMETYPES): exact types, `type/*`, or a
 * pattern ending in `*` (`application/vnd.*`). Parameters are ignored when matching.
 */
export class MimetypePolicy {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(readonly patterns: readonly string[]) {
    for (const p of patterns.map((x) => x.trim().toLowerCase()).filter(Boolean)) {
      if (p.endsWith('*')) this.prefixes.push(p.slice(0, -1));
      else this.exact.add(p);
    }
  }

  allows(mimetype: string): boolean {
    if (!isWellFormedMimetype(mimetype)) return false;
    const base = baseMimetype(mimetype);
    return this.exact.has(base) || this.prefixes.some((p) => base.startsWith(p));
  }
}
