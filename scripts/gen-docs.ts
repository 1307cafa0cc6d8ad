/* Regenerates the docs that are derived from code: docs/events/ and docs/configuration.md. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configDocsMarkdown } from '../libs/config/src/config-docs';
import { eventDocsFiles } from '../libs/contracts/src/event-docs';

const docs = join(__dirname, '../docs');
const events = join(docs, 'events');
rmSync(join(events, 'schemas'), { recursive: true, force: true });
for (const [name, content] of eventDocsFiles()) {
  mkdirSync(dirname(join(events, name)), { recursive: true });
  writeFileSync(join(events, name), content);
}
writeFileSync(join(docs, 'configuration.md'), configDocsMarkdown(join(__dirname, '../config')));
console.log(`wrote docs/configuration.md and ${readdirSync(join(events, 'schemas')).length} event schemas`);
