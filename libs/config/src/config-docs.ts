import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from './app-config';
import { defaultConfigDir } from './config.loader';

/** docs/configuration.md, generated from the settings schema and config/default.json. */
export function configDocsMarkdown(configDir = defaultConfigDir()): string {
  const defaults = JSON.parse(readFileSync(join(configDir, 'default.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const rows = Object.entries(SETTINGS).map(([name, s]) => {
    const def = name in defaults ? `\`${String(defaults[name])}\`` : '(required)';
    return `| \`${name}\` | ${def} | ${s.doc}${'secret' in s && s.secret ? ' (secret: never logged)' : ''} |`;
  });
  return [
    '# Configuration',
    '',
    'Generated from `libs/config/src/app-config.ts` by `npm run docs`; a unit test fails when this page',
    'and the code disagree.',
    '',
    'Settings are read in this order, later ones winning:',
    '',
    '1. `config/default.json` (committed defaults),',
    '2. `config/<NODE_ENV>.json` when it exists,',
    '3. environment variables.',
    '',
    'Every value is validated at start-up. A missing or bad value stops the process with one line',
    'per problem, naming the setting and what is wrong (secret values are never printed). The same',
    'settings, with comments, are in [.env.example](../.env.example).',
    '',
    '| setting | default | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
