import { Inject, Injectable, Optional } from '@nestjs/common';
import { createReadStream, ReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DomainError } from '@wwb/runtime';

/** Overrides where the build is read from (tests); the default is dist/console under process.cwd(). */
export const CONSOLE_DIST_DIR = Symbol('CONSOLE_DIST_DIR');

/**
 * `npm run build:console` writes here, and every way of starting the API (npm scripts, the
 * Docker image's WORKDIR /app) runs from the repository root, so no setting is needed.
 */
export const defaultConsoleDistDir = (): string => resolve(process.cwd(), 'dist', 'console');

export const consoleNotBuilt = (dir: string): DomainError =>
  new DomainError(
    'unavailable',
    'console_not_built',
    `The web console is not built (no index.html in ${dir}): run npm run build:console, then reload`,
  );

export interface ConsoleFile {
  size: number;
  open(): ReadStream;
}

/**
 * Reads the built console from disk. index.html is read on every request (a few hundred bytes):
 * a rebuild while the API runs replaces the hashed asset names it points to, and a cached copy
 * would point to files that no longer exist.
 */
@Injectable()
export class ConsoleAssetsStore {
  readonly root: string;

  constructor(@Optional() @Inject(CONSOLE_DIST_DIR) dir?: string) {
    this.root = resolve(dir ?? defaultConsoleDistDir());
  }

  /** The single page; 503 console_not_built when there is no build. */
  async index(): Promise<Buffer> {
    try {
      return await readFile(join(this.root, 'index.html'));
    } catch (err) {
      if (isMissing(err)) throw consoleNotBuilt(this.root);
      throw err;
    }
  }

  /**
   * A file of the build by its relative path, or undefined when there is none. Symbolic links
   * are followed only when they stay inside the build folder.
   */
  async file(relativePath: string): Promise<ConsoleFile | undefined> {
    const candidate = resolve(this.root, relativePath);
    if (!candidate.startsWith(this.root + sep)) return undefined;
    try {
      const real = await realpath(candidate);
      const root = await realpath(this.root);
      if (!real.startsWith(root + sep)) return undefined;
      const info = await stat(real);
      if (!info.isFile()) return undefined;
      return { size: info.size, open: () => createReadStream(real) };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Whether a build is there at all (to tell "not built" from "no such file"). */
  async built(): Promise<boolean> {
    try {
      return (await stat(join(this.root, 'index.html'))).isFile();
    } catch {
      return false;
    }
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
