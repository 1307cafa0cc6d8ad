import { DomainError } from '@wwb/runtime';
import {
  attributeFromCell,
  exportHeader,
  exportRecord,
  guardCell,
  parseRow,
  resolveColumns,
  rowError,
  tagsFromCell,
  unguardCell,
} from './contact-row.policy';
import type { ContactRecord } from './contact.schema';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
  return undefined;
};

describe('CSV rows', () => {
  const columns = resolveColumns([
    'Phone',
    'name',
    'tags',
    'timezone',
    'language',
    'optedOut',
    'plan',
    'attr.name',
  ]);

  it('resolves field columns in any case, other columns and attr.<x> as attributes', () => {
    expect(columns).toEqual([
      { kind: 'field', field: 'phone' },
      { kind: 'field', field: 'name' },
      { kind: 'field', field: 'tags' },
      { kind: 'field', field: 'timeZone' },
      { kind: 'field', field: 'language' },
      { kind: 'field', field: 'optedOut' },
      { kind: 'attribute', name: 'plan' },
      { kind: 'attribute', name: 'name' },
    ]);
  });

  it('refuses a header without phone, with a repeated column or a bad attribute name', () => {
    expect(codeOf(() => resolveColumns(['name', 'tags']))).toBe('invalid_csv');
    expect(codeOf(() => resolveColumns(['phone', 'PHONE']))).toBe('invalid_csv');
    expect(codeOf(() => resolveColumns(['phone', 'first name']))).toBe('invalid_csv');
    expect(codeOf(() => resolveColumns(['phone', 'x', 'attr.x']))).toBe('invalid_csv');
  });

  it('parses a full row, leaving empty cells out', () => {
    expect(
      parseRow(columns, [
        '15551234567',
        ' Ada ',
        'VIP;news letter',
        'europe/paris',
        'pt-br',
        'true',
        'gold',
        'Lady',
      ]),
    ).toEqual({
      phone: '+15551234567',
      name: 'Ada',
      tags: ['vip', 'news', 'letter'],
      timeZone: 'Europe/Paris',
      language: 'pt-BR',
      optOut: true,
      attributes: { plan: 'gold', name: 'Lady' },
    });
    expect(parseRow(columns, ['+15551234567', '', '', '', '', 'false', '', ''])).toEqual({
      phone: '+15551234567',
      attributes: {},
    });
  });

  it.each([
    [['not a phone', '', '', '', '', '', '', ''], 'invalid_phone'],
    [['', 'Ada', '', '', '', '', '', ''], 'invalid_phone'],
    [['15551234567', '', 'ok;b@d', '', '', '', '', ''], 'invalid_tag'],
    [['15551234567', '', '', 'Mars/Olympus', '', '', '', ''], 'invalid_time_zone'],
    [['15551234567', '', '', '', 'not a language!', '', '', ''], 'invalid_language'],
    [['15551234567', '', '', '', '', 'maybe', '', ''], 'invalid_opted_out'],
    [['15551234567', '', '', '', '', '', 'x'.repeat(2000), ''], 'invalid_attribute'],
    [['15551234567', 'n'.repeat(300), '', '', '', '', '', ''], 'invalid_name'],
  ])('row %j fails with %s', (record, code) => {
    expect(codeOf(() => parseRow(columns, record))).toBe(code);
  });

  it('too many tags in one cell', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`).join(';');
    expect(codeOf(() => parseRow(columns, ['15551234567', '', tags, '', '', '', '', '']))).toBe(
      'too_many_tags',
    );
  });

  it('types attribute cells conservatively', () => {
    expect(attributeFromCell('true')).toBe(true);
    expect(attributeFromCell('false')).toBe(false);
    expect(attributeFromCell('42')).toBe(42);
    expect(attributeFromCell('-3.5')).toBe(-3.5);
    expect(attributeFromCell('02134')).toBe('02134');
    expect(attributeFromCell('1e5')).toBe('1e5');
    expect(attributeFromCell('TRUE')).toBe('TRUE');
    expect(tagsFromCell('a, b;c|d  e')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('row errors keep the domain code', () => {
    expect(rowError(7, DomainError.invalid('invalid_phone', 'bad'))).toEqual({
      row: 7,
      code: 'invalid_phone',
      message: 'bad',
    });
    expect(rowError(8, new Error('boom'))).toEqual({ row: 8, code: 'invalid_row', message: 'boom' });
  });

  it('an exported record reads back as the same row', () => {
    const contact = {
      _id: 'ctc_x',
      accountId: 'acc_x',
      phone: '+15551234567',
      name: 'Ada',
      tags: ['vip', 'news'],
      attributes: { plan: 'gold', orders: 3, active: true },
      timeZone: 'America/New_York',
      language: 'en-US',
      optOut: { optedOut: true, at: new Date(0), reason: null, source: 'api' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
    } satisfies ContactRecord;
    const names = ['active', 'orders', 'plan'];
    const header = exportHeader(names);
    expect(header).toEqual([
      'phone',
      'name',
      'tags',
      'timeZone',
      'language',
      'optedOut',
      'attr.active',
      'attr.orders',
      'attr.plan',
    ]);
    expect(parseRow(resolveColumns(header), exportRecord(contact, names))).toEqual({
      phone: '+15551234567',
      name: 'Ada',
      tags: ['vip', 'news'],
      timeZone: 'America/New_York',
      language: 'en-US',
      optOut: true,
      attributes: { active: true, orders: 3, plan: 'gold' },
    });
  });

  it('guards cells a spreadsheet would run as formulas, and the import takes the guard off', () => {
    const cases: [string, string][] = [
      ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
      ['+15551234567', `'+15551234567`],
      ['-3', `'-3`],
      ['@SUM(A1)', `'@SUM(A1)`],
      ['\tcmd', `'\tcmd`],
      ['\rcmd', `'\rcmd`],
      [`'=x`, `''=x`],
      [`''+1`, `'''+1`],
      ['Ada', 'Ada'],
      [`'Tis`, `'Tis`],
      ['a=b', 'a=b'],
      ['', ''],
    ];
    for (const [cell, exported] of cases) {
      expect(guardCell(cell)).toBe(exported);
      expect(unguardCell(exported)).toBe(cell);
    }
    // The quote a spreadsheet user types before a phone goes too; other quotes stay.
    expect(unguardCell(`'+34612345678`)).toBe('+34612345678');
    expect(unguardCell(`'Tis`)).toBe(`'Tis`);
  });

  it('an export of formula-like text is guarded and reads back unchanged', () => {
    const contact = {
      _id: 'ctc_y',
      accountId: 'acc_x',
      phone: '+15551234567',
      name: '=HYPERLINK("http://evil.example","click")',
      tags: [],
      attributes: { note: '@cmd', delta: -3, quoted: `'=1+1`, tabbed: '\tx' },
      timeZone: 'America/New_York',
      language: null,
      optOut: { optedOut: false, at: null, reason: null, source: null },
      createdAt: new Date(0),
      updatedAt: new Date(0),
    } satisfies ContactRecord;
    const names = ['delta', 'note', 'quoted', 'tabbed'];
    const record = exportRecord(contact, names);
    expect(record).toEqual([
      `'+15551234567`,
      `'=HYPERLINK("http://evil.example","click")`,
      '',
      'America/New_York',
      '',
      'false',
      `'-3`,
      `'@cmd`,
      `''=1+1`,
      `'\tx`,
    ]);
    for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(parseRow(resolveColumns(exportHeader(names)), record)).toEqual({
      phone: '+15551234567',
      name: '=HYPERLINK("http://evil.example","click")',
      timeZone: 'America/New_York',
      attributes: { delta: -3, note: '@cmd', quoted: `'=1+1`, tabbed: '\tx' },
    });
  });
});
