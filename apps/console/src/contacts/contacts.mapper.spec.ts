import {
  displayName,
  exportHref,
  filterFromUrl,
  filterQuery,
  filterSearch,
  importSummary,
  listedErrorsNote,
  NO_FILTER,
  parseTags,
  type Contact,
} from './contacts.mapper';

describe('contacts mapper', () => {
  it('splits typed tags on commas, semicolons and spaces, lower-cased and without repeats', () => {
    expect(parseTags(' VIP, newsletter  es;vip ')).toEqual(['vip', 'newsletter', 'es']);
    expect(parseTags('')).toEqual([]);
  });

  it('turns a filter into the list query, leaving out what is not set', () => {
    expect(filterQuery(NO_FILTER)).toEqual({});
    expect(filterQuery({ q: ' ada ', tags: 'vip es', status: 'out' })).toEqual({
      q: 'ada',
      tag: ['vip', 'es'],
      optedOut: true,
    });
    expect(filterQuery({ q: '', tags: '', status: 'in' })).toEqual({ optedOut: false });
  });

  it('links the export with the same filters', () => {
    expect(exportHref(NO_FILTER)).toBe('/v1/contacts/export');
    expect(exportHref({ q: '+34 6', tags: 'vip,es', status: 'in' })).toBe(
      '/v1/contacts/export?q=%2B34+6&tag=vip&tag=es&optedOut=false',
    );
  });

  it('keeps the applied search in the address and reads it back', () => {
    expect(filterSearch(NO_FILTER)).toBe('');
    const search = filterSearch({ q: ' +34 6 ', tags: 'VIP es', status: 'out' });
    expect(search).toBe('?q=%2B34+6&tags=vip%2Ces&optedOut=true');
    expect(filterFromUrl(`/console/contacts${search}`)).toEqual({
      q: '+34 6',
      tags: 'vip, es',
      status: 'out',
    });
    expect(filterFromUrl('/console/contacts?optedOut=false')).toEqual({ ...NO_FILTER, status: 'in' });
    expect(filterFromUrl('/console/contacts')).toEqual(NO_FILTER);
    // Something hand-edited into the address falls back to no filter rather than failing.
    expect(filterFromUrl('/console/contacts?optedOut=maybe&other=1')).toEqual(NO_FILTER);
  });

  it('calls a contact by name, WhatsApp name or number', () => {
    const c = { name: null, pushName: null, phone: '+15550001' } as Contact;
    expect(displayName(c)).toBe('+15550001');
    expect(displayName({ ...c, pushName: 'Jo' })).toBe('Jo');
    expect(displayName({ ...c, name: 'Ada', pushName: 'Jo' })).toBe('Ada');
  });

  it('sums up an import and says when not every failed row is listed', () => {
    const result = {
      created: 3,
      updated: 1,
      failed: 2,
      errors: [{ row: 3, code: 'invalid_phone', message: 'x' }],
    };
    expect(importSummary(result)).toBe('3 created, 1 updated, 2 failed');
    expect(listedErrorsNote(result)).toBe(' (the first 1 of 2)');
    expect(listedErrorsNote({ ...result, failed: 1 })).toBe('');
  });
});
