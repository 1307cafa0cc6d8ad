import { int, spec } from './setting.parsers';

/** Web console settings (part of SETTINGS). */
export const CONSOLE_SETTINGS = {
  CONSOLE_SESSION_TTL_HOURS: spec({
    parse: int({ min: 1, max: 24 * 30 }),
    doc: 'How long a console session (cookie wwb_session) lives without being used; each use extends it by this much (written at most once a minute). Deleting the user, changing its role or disabling the account ends its sessions',
  }),
} as const;
