import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, RawSettings, SETTINGS, SettingName } from './app-config';
import { SettingError } from './setting.parsers';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Source = Record<string, string | undefined>;

function readJson(file: string): Source {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} must hold a JSON object`);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/** Finds the config/ folder from the working directory or from this file (source or dist). */
export function defaultConfigDir(): string {
  const candidates = [
    process.env.WWB_CONFIG_DIR,
    join(process.cwd(), 'config'),
    join(__dirname, '../../../config'),
    join(__dirname, '../../../../config'),
  ].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(join(c, 'default.json'))) ?? candidates[0]!;
}

/**
 * Defaults from config/default.json, then config/<NODE_ENV>.json, then the environment.
 * Every problem is reported at once; secrets never appear in the messages.
 */
export function loadConfig(env: Source = process.env, configDir = defaultConfigDir()): AppConfig {
  const defaults = readJson(join(configDir, 'default.json'));
  const nodeEnv = env.NODE_ENV ?? defaults.NODE_ENV ?? 'development';
  const merged: Source = { ...defaults, ...readJson(join(configDir, `${nodeEnv}.json`)) };
  for (const name of Object.keys(SETTINGS)) {
    const v = env[name];
    if (v !== undefined && v !== '') merged[name] = v;
  }

  const problems: string[] = [];
  const out: Partial<Record<SettingName, unknown>> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const raw = merged[name];
    if (raw === undefined) {
      if (!('optional' in setting && setting.optional)) problems.push(`${name} is required: ${setting.doc}`);
      continue;
    }
    try {
      out[name] = setting.parse(raw);
    } catch (err) {
      const why = err instanceof SettingError ? err.message : String(err);
      problems.push(
        `${name} ${'secret' in setting && setting.secret ? why.replace(/"[^"]*"/g, '"***"') : why}`,
      );
    }
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return new AppConfig(out as RawSettings);
}
