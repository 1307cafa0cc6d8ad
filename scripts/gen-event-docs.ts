/* Writes docs/events/ (catalogue and JSON Schemas) from the contracts lib. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eventDocsFiles } from '../libs/contracts/src/event-docs';

const out = join(__dirname, '../docs/events');
rmSync(join(out, 'schemas'), { recursive: true, force: true });
for (const [name, content] of eventDocsFiles()) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), content);
}
console.log(`wrote ${readdirSync(join(out, 'schemas')).length} schemas and README.md to docs/events/`);
