/** vCard 3.0 helpers for contact messages (the format WhatsApp sends and expects). */

export interface VCardContact {
  fullName: string;
  /** International number, any formatting (`+1 555 123 4567`). */
  phoneNumber?: string;
  organization?: string;
  email?: string;
}

export interface ParsedVCard {
  fullName?: string;
  organization?: string;
  phones: { number: string; waId?: string }[];
  emails: string[];
}

const escapeValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');

const unescapeValue = (v: string): string =>
  v.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/**
 * Builds a vCard with WhatsApp's `waid` parameter, so that WhatsApp shows "Message" for the
 * number: `TEL;type=CELL;waid=15551234567:+15551234567`.
 */
export function buildVCard(contact: VCardContact): string {
  if (!contact.fullName.trim()) throw new Error('a vCard needs a full name');
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escapeValue(contact.fullName.trim())}`];
  if (contact.organization) lines.push(`ORG:${escapeValue(contact.organization)}`);
  if (contact.phoneNumber) {
    const digits = contact.phoneNumber.replace(/[^\d]/g, '');
    if (digits.length < 7) throw new Error(`not a phone number: "${contact.phoneNumber}"`);
    lines.push(`TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`);
  }
  if (contact.email) lines.push(`EMAIL:${escapeValue(contact.email)}`);
  lines.push('END:VCARD');
  return lines.join('\n');
}

/** Reads the fields we care about from one vCard (2.1, 3.0 or 4.0; folded lines allowed). */
export function parseVCard(text: string): ParsedVCard | undefined {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]/g, '');
  const lines = unfolded.split('\n').map((l) => l.trim());
  if (!/^BEGIN:VCARD$/i.test(lines[0] ?? '') || !lines.some((l) => /^END:VCARD$/i.test(l))) return undefined;
  const out: ParsedVCard = { phones: [], emails: [] };
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [name = '', ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    switch (name.toUpperCase().replace(/^ITEM\d+\./, '')) {
      case 'FN':
        out.fullName = unescapeValue(value);
        break;
      case 'ORG':
        out.organization = unescapeValue(value.split(';')[0] ?? '');
        break;
      case 'TEL': {
        const waid = params.map((p) => /^waid=(\d+)$/i.exec(p)?.[1]).find(Boolean);
        out.phones.push({ number: value.trim(), ...(waid ? { waId: waid } : {}) });
        break;
      }
      case 'EMAIL':
        out.emails.push(unescapeValue(value));
        break;
    }
  }
  return out;
}

export function isVCard(text: string): boolean {
  return parseVCard(text) !== undefined;
}
