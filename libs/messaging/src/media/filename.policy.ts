/** C0 control characters and DEL: never part of a file name the platform stores or sends. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(name: string): boolean {
  return CONTROL_CHARACTERS.test(name);
}

/** An uploaded file's name without its directories and control characters, at most 255 characters. */
export function cleanUploadedFilename(original: string): string {
  return original
    .replace(/^.*[\\/]/, '')
    .replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '')
    .slice(0, 255);
}

/**
 * The file name a URL path ends with, percent-decoded (what follows a decoded slash; '' when the
 * path ends with a slash); null when its escapes are malformed or it decodes to control characters.
 */
export function urlFilename(pathname: string): string | null {
  const segment = pathname.slice(pathname.lastIndexOf('/') + 1);
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return hasControlCharacters(name) ? null : name.replace(/^.*[\\/]/, '').trim();
}
