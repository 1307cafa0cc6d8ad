import type { ApiProblem } from '../api/api-error.mapper';
import type { Campaign, CreateCampaignBody, PacingBody, TemplateVariable } from './campaign.dto';
import { defaultScheduleForm, scheduleBody, scheduleForm, type ScheduleForm } from './schedule-form.mapper';

/** Pacing as typed: text per number, so that a half-typed value stays on screen. */
export interface PacingForm {
  messagesPerMinute: string;
  jitter: string;
  /** '' for no breaks. */
  pauseEvery: string;
  pauseMinutes: string;
  dailyCap: string;
  quietHours: boolean;
  quietStart: string;
  quietEnd: string;
  frequencyCap: boolean;
  capMax: string;
  capPerHours: string;
}

export interface CampaignForm {
  name: string;
  connectionIds: string[];
  templateId: string;
  /** Values of the template's own variables by dotted name ("offer.code"). */
  variables: Record<string, string>;
  /** Comma-separated tags. */
  tags: string;
  contactIds: string[];
  pacing: PacingForm;
  schedule: ScheduleForm;
}

/**
 * A new campaign's pacing: the API's safe defaults (DEFAULT_PACING in libs/campaigns), shown so
 * that the user sees what they would change.
 */
export const DEFAULT_PACING_FORM: PacingForm = {
  messagesPerMinute: '6',
  jitter: '0.3',
  pauseEvery: '40',
  pauseMinutes: '10',
  dailyCap: '250',
  quietHours: true,
  quietStart: '21:00',
  quietEnd: '09:00',
  frequencyCap: true,
  capMax: '1',
  capPerHours: '24',
};

export function newCampaignForm(timeZone: string, now: Date): CampaignForm {
  return {
    name: '',
    connectionIds: [],
    templateId: '',
    variables: {},
    tags: '',
    contactIds: [],
    pacing: { ...DEFAULT_PACING_FORM },
    schedule: defaultScheduleForm(timeZone, now),
  };
}

/** Variables a campaign sets: the template's, except the recipient's own `contact.*`. */
export const campaignVariables = (declared: readonly TemplateVariable[]): TemplateVariable[] =>
  declared.filter((v) => v.name !== 'contact' && !v.name.startsWith('contact.'));

/** A nested value read by dotted path, as text ('' when absent). */
function readPath(values: Record<string, unknown>, path: string): string {
  let at: unknown = values;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return '';
    at = (at as Record<string, unknown>)[key];
  }
  if (at === undefined || at === null) return '';
  return typeof at === 'string' ? at : JSON.stringify(at);
}

/** `{"offer.code": "X"}` as the API stores it: `{"offer": {"code": "X"}}`. Empty values are left out. */
export function nestVariables(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    if (value.trim() === '') continue;
    const keys = path.split('.');
    let at = out;
    keys.slice(0, -1).forEach((key) => {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
      at = at[key] as Record<string, unknown>;
    });
    at[keys[keys.length - 1]!] = value;
  }
  return out;
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

export function campaignForm(c: Campaign, declared: readonly TemplateVariable[], now: Date): CampaignForm {
  const p = c.pacing;
  return {
    name: c.name,
    connectionIds: [...c.connectionIds],
    templateId: c.templateId,
    variables: Object.fromEntries(
      campaignVariables(declared).map((v) => [v.name, readPath(c.variables, v.name)]),
    ),
    tags: c.audience.tags.join(', '),
    contactIds: [...c.audience.contactIds],
    pacing: {
      messagesPerMinute: text(p.messagesPerMinute),
      jitter: text(p.jitter),
      pauseEvery: text(p.pauseEvery),
      pauseMinutes: text(p.pauseMinutes),
      dailyCap: text(p.dailyCap),
      quietHours: p.quietHours !== null,
      quietStart: p.quietHours?.start ?? DEFAULT_PACING_FORM.quietStart,
      quietEnd: p.quietHours?.end ?? DEFAULT_PACING_FORM.quietEnd,
      frequencyCap: p.frequencyCap !== null,
      capMax: text(p.frequencyCap?.max ?? 1),
      capPerHours: text(p.frequencyCap?.perHours ?? 24),
    },
    schedule: scheduleForm(c.schedule, now),
  };
}

export const parseTags = (tags: string): string[] =>
  [...new Set(tags.split(/[\s,]+/).map((t) => t.trim().toLowerCase()))].filter(Boolean);

/** A number as typed; what is not one goes as typed, so the API's message names it. */
const num = (value: string): number => {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isFinite(n) ? n : (value as unknown as number);
};

export function pacingBody(p: PacingForm): PacingBody {
  return {
    messagesPerMinute: num(p.messagesPerMinute),
    jitter: num(p.jitter),
    pauseEvery: p.pauseEvery.trim() === '' ? null : num(p.pauseEvery),
    pauseMinutes: num(p.pauseMinutes),
    dailyCap: num(p.dailyCap),
    quietHours: p.quietHours ? { start: p.quietStart, end: p.quietEnd } : null,
    frequencyCap: p.frequencyCap ? { max: num(p.capMax), perHours: num(p.capPerHours) } : null,
  };
}

/**
 * The body of POST /v1/campaigns, and of PATCH too: a PATCH replaces the schedule, so it is
 * left out unless it was changed (saving it again would restart its start date from now).
 */
export function campaignBody(form: CampaignForm, withSchedule = true): CreateCampaignBody {
  const body: CreateCampaignBody = {
    name: form.name,
    connectionIds: form.connectionIds,
    templateId: form.templateId,
    variables: nestVariables(form.variables),
    audience: { tags: parseTags(form.tags), contactIds: form.contactIds },
    schedule: scheduleBody(form.schedule),
    pacing: pacingBody(form.pacing),
  };
  if (!withSchedule) delete (body as Partial<CreateCampaignBody>).schedule;
  return body;
}

/** Where the API's codes about one part of the campaign are shown. */
const CODE_FIELDS: Readonly<Record<string, string>> = {
  invalid_name: 'name',
  invalid_connections: 'connectionIds',
  unknown_connection: 'connectionIds',
  template_not_found: 'templateId',
  template_in_use: 'templateId',
  invalid_variables: 'variables',
  invalid_audience: 'audience',
  empty_audience: 'audience',
  invalid_schedule: 'schedule',
  invalid_time_zone: 'schedule.timeZone',
  invalid_cron: 'schedule.expression',
  invalid_rrule: 'schedule.rule',
  schedule_end_before_start: 'schedule.endAt',
  schedule_in_past: 'schedule',
  schedule_too_frequent: 'schedule',
  invalid_pacing: 'pacing',
};

export interface CampaignErrors {
  /** By field: name, connectionIds, templateId, variables, audience, schedule[.part], pacing[.part]. */
  fields: Record<string, string>;
  form?: string;
}

const sentence = (t: string): string => (t ? t[0]!.toUpperCase() + t.slice(1) : t);

/**
 * Places an error answer next to the field it concerns: validation_failed names fields in its
 * details; the campaign codes name one part, and details.field the exact setting
 * ("schedule.at", "quietHours.start").
 */
export function campaignErrors(problem: ApiProblem): CampaignErrors {
  const details = (problem.details ?? {}) as { field?: unknown };
  if (problem.code === 'validation_failed' && Array.isArray(problem.details)) {
    const fields: Record<string, string> = {};
    for (const item of problem.details as { field?: unknown; messages?: unknown }[]) {
      const name = typeof item?.field === 'string' ? item.field.split(/[.[]/)[0]! : '';
      const messages = Array.isArray(item?.messages)
        ? item.messages.filter((m) => typeof m === 'string')
        : [];
      if (name && messages.length) fields[name] = messages.map(sentence).join('; ');
    }
    return Object.keys(fields).length ? { fields } : { fields, form: problem.message };
  }
  const base = CODE_FIELDS[problem.code];
  if (!base) return { fields: {}, form: problem.message };
  const field = typeof details.field === 'string' ? details.field : '';
  let key = base;
  if (base === 'schedule' || base.startsWith('schedule.')) {
    key = field.startsWith('schedule.') ? field.split('.').slice(0, 2).join('.') : base;
  } else if (base === 'pacing' && field && field !== 'pacing') {
    key = `pacing.${field.split('.')[0]}`;
  }
  return { fields: { [key]: sentence(problem.message) } };
}

/** The errors under one prefix ("schedule"), keyed by what follows it ("at"; '' for the part itself). */
export function errorsUnder(errors: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key === prefix) out[''] = message;
    else if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = message;
  }
  return out;
}

/** What no field on screen shows, so that nothing the API said is lost. */
export function unplaced(errors: CampaignErrors, shown: readonly string[]): string | undefined {
  const rest = Object.entries(errors.fields)
    .filter(([key]) => !shown.some((s) => key === s || key.startsWith(`${s}.`)))
    .map(([, m]) => m);
  return [errors.form, ...rest].filter(Boolean).join(' ') || undefined;
}
