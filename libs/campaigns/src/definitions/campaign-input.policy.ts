import type { Principal } from '@wwb/accounts';
import { DomainError } from '@wwb/runtime';
import type { CampaignAudience, CampaignState } from './campaign.schema';

/** What one campaign may hold; shown in docs/campaigns.md. */
export const CAMPAIGN_LIMITS = Object.freeze({
  nameLength: 120,
  connections: 10,
  variables: 50,
  variableNameLength: 100,
  /** Objects and lists inside a value. */
  variablesDepth: 10,
  /** Size of `variables` as JSON (UTF-8). */
  variablesBytes: 16 * 1024,
  tags: 20,
  tagLength: 50,
  contactIds: 1000,
});

export const CAMPAIGN_ID_PATTERN = /^cmp_[0-9A-HJKMNP-TV-Z]{26}$/;
const CONTACT_ID = /^ctc_[0-9A-HJKMNP-TV-Z]{26}$/;
/** The same slug rule as contact tags, so an audience tag can match what contacts carry. */
const TAG = /^[a-z0-9][a-z0-9_-]*$/;
/** What a template reads at the top level (`{{offer}}`; `{{offer.code}}` reads inside it). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The connections a caller may act on: those of an API key restricted to some connections;
 * undefined for an unrestricted key.
 */
export type CampaignReach = readonly string[] | undefined;

export const reachOf = (principal: Principal): CampaignReach =>
  principal.restricted ? principal.connectionIds : undefined;

/** A restricted key may use a campaign only if it reaches every connection the campaign sends from. */
export const withinReach = (connectionIds: readonly string[], reach: CampaignReach): boolean =>
  !reach || connectionIds.every((id) => reach.includes(id));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const clip = (v: unknown): string => String(v).slice(0, 100);

/** The name trimmed, or 400 invalid_name. */
export function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed || trimmed.length > CAMPAIGN_LIMITS.nameLength) {
    throw DomainError.invalid(
      'invalid_name',
      `name must be 1 to ${CAMPAIGN_LIMITS.nameLength} characters (not blank)`,
      { field: 'name' },
    );
  }
  return trimmed;
}

/**
 * 1 to 10 distinct ids, or 400 invalid_connections. Whether they are the account's is checked
 * against storage (unknown_connection).
 */
export function checkConnectionIds(ids: readonly unknown[]): string[] {
  const fail = (message: string, details: object = {}) =>
    DomainError.invalid('invalid_connections', message, { field: 'connectionIds', ...details });
  const max = CAMPAIGN_LIMITS.connections;
  if (ids.length < 1 || ids.length > max) {
    throw fail(`connectionIds must name 1 to ${max} connections (got ${ids.length})`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') throw fail('connectionIds must be connection ids (strings)');
    if (seen.has(id)) throw fail(`connectionIds names ${clip(id)} twice`, { connectionId: clip(id) });
    seen.add(id);
  }
  return [...seen];
}

/**
 * Static values every recipient's render gets besides their contact: at most 50 names, 16 KiB as
 * JSON, none of them `contact` (the recipient's own fields would hide it). A template reads
 * `{{offer.code}}` from `{"offer": {"code": ...}}`: names are identifiers, and no key at any depth
 * holds a `.` or starts with `$` (the database refuses such keys). 400 invalid_variables.
 */
export function checkVariables(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) throw invalidVariables('variables', 'must be an object of names and values');
  const names = Object.keys(input);
  if (names.length > CAMPAIGN_LIMITS.variables) {
    throw invalidVariables(
      'variables',
      `may hold at most ${CAMPAIGN_LIMITS.variables} names (got ${names.length})`,
    );
  }
  for (const name of names) {
    const field = `variables.${clip(name)}`;
    if (name.length > CAMPAIGN_LIMITS.variableNameLength || !VARIABLE_NAME.test(name)) {
      throw invalidVariables(field, 'is not a name: letters, digits and _ (nest objects for offer.code)');
    }
    if (FORBIDDEN_NAMES.has(name)) throw invalidVariables(field, 'is a reserved JavaScript property name');
    if (name === 'contact')
      throw invalidVariables(field, "is each recipient's own contact and cannot be set");
    checkStorable(input[name], field, 1);
  }
  const bytes = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (bytes > CAMPAIGN_LIMITS.variablesBytes) {
    throw invalidVariables(
      'variables',
      `must be at most ${CAMPAIGN_LIMITS.variablesBytes} bytes as JSON (got ${bytes})`,
    );
  }
  return input;
}

const invalidVariables = (field: string, problem: string) =>
  DomainError.invalid('invalid_variables', `${field} ${problem}`, { field });

/** Keys inside a value: storable (no `.`, no leading `$`) and not nested too deep. */
function checkStorable(value: unknown, field: string, depth: number): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > CAMPAIGN_LIMITS.variablesDepth) {
    throw invalidVariables(
      field,
      `nests objects and lists deeper than ${CAMPAIGN_LIMITS.variablesDepth} levels`,
    );
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkStorable(item, `${field}[${i}]`, depth + 1));
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const path = `${field}.${clip(key)}`;
    if (key.includes('.') || key.startsWith('$') || FORBIDDEN_NAMES.has(key)) {
      throw invalidVariables(path, 'is not a usable key (no ".", no leading "$", no __proto__)');
    }
    checkStorable(inner, path, depth + 1);
  }
}

export interface AudienceInput {
  tags?: readonly unknown[] | null;
  contactIds?: readonly unknown[] | null;
}

/**
 * The audience with its lists checked: tags lower-cased slugs (at most 20), contact ids (at most
 * 1,000), duplicates dropped. A list left out keeps its value in `base` (PATCH) or is empty.
 * 400 invalid_audience, or empty_audience when both lists end up empty.
 */
export function checkAudience(input: AudienceInput, base?: CampaignAudience): CampaignAudience {
  const tags = input.tags == null ? [...(base?.tags ?? [])] : checkTags(input.tags);
  const contactIds =
    input.contactIds == null ? [...(base?.contactIds ?? [])] : checkContactIds(input.contactIds);
  if (!tags.length && !contactIds.length) {
    throw DomainError.invalid(
      'empty_audience',
      'audience needs at least one tag or contact id (audience.tags, audience.contactIds)',
      { field: 'audience' },
    );
  }
  return { tags, contactIds };
}

const invalidAudience = (field: string, message: string) =>
  DomainError.invalid('invalid_audience', message, { field });

function checkTags(input: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const raw of input) {
    const tag = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!TAG.test(tag) || tag.length > CAMPAIGN_LIMITS.tagLength) {
      throw invalidAudience(
        'audience.tags',
        `audience.tags: "${clip(raw)}" is not a tag (a-z, 0-9, - and _, at most ${CAMPAIGN_LIMITS.tagLength} characters)`,
      );
    }
    out.add(tag);
  }
  if (out.size > CAMPAIGN_LIMITS.tags) {
    throw invalidAudience('audience.tags', `audience.tags holds at most ${CAMPAIGN_LIMITS.tags} tags`);
  }
  return [...out];
}

function checkContactIds(input: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const id of input) {
    if (typeof id !== 'string' || !CONTACT_ID.test(id)) {
      throw invalidAudience('audience.contactIds', `audience.contactIds: "${clip(id)}" is not a contact id`);
    }
    out.add(id);
  }
  if (out.size > CAMPAIGN_LIMITS.contactIds) {
    throw invalidAudience(
      'audience.contactIds',
      `audience.contactIds holds at most ${CAMPAIGN_LIMITS.contactIds} contacts`,
    );
  }
  return [...out];
}

export type CampaignAction = 'pause' | 'resume' | 'cancel';

export const campaignCancelled = (action: CampaignAction): DomainError =>
  DomainError.conflict('campaign_cancelled', `the campaign is cancelled and cannot be changed (${action})`);

/**
 * The stored state after `action`, or null when it changes nothing (pausing a paused campaign,
 * cancelling a cancelled one). Cancelling is final: 409 campaign_cancelled for anything else.
 */
export function stateAfter(state: CampaignState, action: CampaignAction): CampaignState | null {
  if (action === 'cancel') return state === 'cancelled' ? null : 'cancelled';
  if (state === 'cancelled') throw campaignCancelled(action);
  const target: CampaignState = action === 'pause' ? 'paused' : 'active';
  return state === target ? null : target;
}
