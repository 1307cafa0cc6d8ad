import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root (the first folder up holding package.json): a bench runs from its
 * TypeScript source or compiled under dist/bench, and finds .tools and bench/results either way.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
