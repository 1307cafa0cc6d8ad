import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIBS = join(__dirname, '../../../libs');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * The OpenAPI document names each response and body schema after its DTO class: two classes of
 * one name are one schema, the last one loaded wins, and a route answers with a body the
 * document describes as another (the fuzzer caught `DryRunDto` of campaigns documented as the
 * auto-replies' one). Every DTO class name is therefore unique across the libs.
 */
it('no two DTO classes share a name (the OpenAPI document would merge them)', () => {
  const seen = new Map<string, string[]>();
  for (const file of sources(LIBS)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:export )?class (\w+Dto)\b/gm)) {
      seen.set(m[1]!, [...(seen.get(m[1]!) ?? []), file.slice(LIBS.length + 1)]);
    }
  }
  const clashes = [...seen].filter(([, files]) => files.length > 1);
  expect(clashes).toEqual([]);
  expect(seen.size).toBeGreaterThan(50);
});
