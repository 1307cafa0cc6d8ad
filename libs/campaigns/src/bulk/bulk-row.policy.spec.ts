import {
  BULK_ERRORS_SHOWN,
  BULK_MAX_ROWS,
  BulkRowCollector,
  collectCsvRows,
  collectJsonRows,
} from './bulk-row.policy';

describe('bulk rows', () => {
  describe('JSON recipients', () => {
    it('normalises phones and keeps each row with its own variables, numbered from 1', () => {
      const out = collectJsonRows([
        { to: '+1 (555) 765-0101', variables: { name: 'Ana', n: 3, vip: true } },
        { to: '15557650102' },
      ]);
      expect(out).toEqual({
        accepted: [
          { n: 1, phone: '+15557650101', variables: { name: 'Ana', n: 3, vip: true } },
          { n: 2, phone: '+15557650102', variables: {} },
        ],
        rejected: 0,
        errors: [],
      });
    });

    it('reports a bad phone, a repeated phone and bad variables per row; the good rows stay', () => {
      const out = collectJsonRows([
        { to: '+15557650101' },
        { to: 'not a phone' },
        { to: '+1 555 765 0101' },
        { to: '+15557650103', variables: { nested: { a: 1 } } },
        { to: '+15557650104', variables: ['x'] },
        { to: '+15557650105', variables: { 'bad-name': 'x' } },
        { to: '+15557650106', variables: { contact: 'x' } },
        { to: '+15557650107', variables: { big: 'x'.repeat(1001) } },
        { to: '+15557650108', variables: { inf: Infinity } },
        42,
        { to: '+15557650109', variables: { ok: 'yes' } },
      ]);
      expect(out.accepted.map((r) => r.n)).toEqual([1, 11]);
      expect(out.rejected).toBe(9);
      expect(out.errors.map((e) => [e.row, e.code])).toEqual([
        [2, 'invalid_phone'],
        [3, 'duplicate_phone'],
        [4, 'invalid_variables'],
        [5, 'invalid_variables'],
        [6, 'invalid_variables'],
        [7, 'invalid_variables'],
        [8, 'invalid_variables'],
        [9, 'invalid_variables'],
        [10, 'invalid_phone'],
      ]);
      expect(out.errors[1]!.message).toContain('+15557650101');
      expect(out.errors[2]!.message).toContain('variables.nested');
    });

    it('a row refused for its variables does not take its phone: a later row with it is accepted', () => {
      const out = collectJsonRows([
        { to: '+15557650101', variables: { a: null } },
        { to: '+15557650101', variables: { a: 'ok' } },
      ]);
      expect(out.accepted).toEqual([{ n: 2, phone: '+15557650101', variables: { a: 'ok' } }]);
    });

    it(`answers the first ${BULK_ERRORS_SHOWN} errors and counts them all`, () => {
      const rows = new BulkRowCollector();
      for (let i = 1; i <= 250; i++) rows.add(i, 'x', undefined);
      rows.add(251, '+15557650101', undefined);
      const out = rows.result();
      expect(out.rejected).toBe(250);
      expect(out.errors).toHaveLength(BULK_ERRORS_SHOWN);
      expect(out.errors[BULK_ERRORS_SHOWN - 1]!.row).toBe(BULK_ERRORS_SHOWN);
      expect(out.accepted).toHaveLength(1);
      expect(rows.rows).toBe(251);
    });

    it('refuses more than 100,000 recipients whole with 413 too_many_recipients', () => {
      const many = Array.from({ length: BULK_MAX_ROWS + 1 }, () => ({ to: '+15557650101' }));
      expect(() => collectJsonRows(many)).toThrow(
        expect.objectContaining({ kind: 'too_large', code: 'too_many_recipients' }),
      );
    });
  });

  describe('CSV', () => {
    it('reads phone (or to) and makes every other column a variable; empty cells are left out', () => {
      const out = collectCsvRows(
        '\ufeffphone,first_name,code\n+15557650101,Ana,A1\n"+1 555 765 0102",,B2\n\nbad,Cy,C3\n+15557650101,Dup,D4\n',
      );
      expect(out.accepted).toEqual([
        { n: 1, phone: '+15557650101', variables: { first_name: 'Ana', code: 'A1' } },
        { n: 2, phone: '+15557650102', variables: { code: 'B2' } },
      ]);
      expect(out.errors.map((e) => [e.row, e.code])).toEqual([
        [3, 'invalid_phone'],
        [4, 'duplicate_phone'],
      ]);
      expect(collectCsvRows('To,x\n+15557650101,1\n').accepted).toEqual([
        { n: 1, phone: '+15557650101', variables: { x: '1' } },
      ]);
    });

    it.each([
      ['', 'empty'],
      ['name,code\nAna,1\n', 'phone'],
      ['phone,first name\n+15557650101,Ana\n', '"first name"'],
      ['phone,contact\n+15557650101,Ana\n', '"contact"'],
      ['phone,a,a\n+15557650101,1,2\n', 'twice'],
      ['phone,a\n"+15557650101,1\n', 'could not be read'],
    ])('refuses %p whole with 400 invalid_csv', (csv, words) => {
      let error: unknown;
      try {
        collectCsvRows(csv);
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ kind: 'invalid', code: 'invalid_csv' });
      expect((error as Error).message).toContain(words);
    });

    it('refuses more than 100,000 data lines with 413 too_many_recipients', () => {
      const csv = 'phone\n' + '+15557650101\n'.repeat(BULK_MAX_ROWS + 1);
      expect(() => collectCsvRows(csv)).toThrow(expect.objectContaining({ code: 'too_many_recipients' }));
    });
  });
});
