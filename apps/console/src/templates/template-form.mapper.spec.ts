import type { ApiProblem } from '../api/api-error.mapper';
import {
  bodyProblemsOf,
  draftOf,
  formatExample,
  offsetOf,
  parseExample,
  positionLabel,
  problemLines,
  requestOf,
  undeclaredPaths,
  type Template,
} from './template-form.mapper';

const problem = (code: string, message: string, details?: unknown): ApiProblem => ({
  status: 400,
  code,
  message,
  ...(details !== undefined ? { details } : {}),
});

describe('template form mapper', () => {
  it('reads examples as JSON when they look like it, else as text', () => {
    expect(parseExample('42.5')).toBe(42.5);
    expect(parseExample('true')).toBe(true);
    expect(parseExample('[{"name":"tea"}]')).toEqual([{ name: 'tea' }]);
    expect(parseExample('{"a":1}')).toEqual({ a: 1 });
    expect(parseExample('A-1001')).toBe('A-1001');
    expect(parseExample('[not json')).toBe('[not json');
    expect(parseExample('null')).toBe('null');
    expect(parseExample('')).toBe('');
    expect(formatExample([1, 2])).toBe('[1,2]');
    expect(formatExample('text')).toBe('text');
  });

  it('builds the request from the draft, dropping blank variable rows and keeping the body as typed', () => {
    const request = requestOf({
      name: ' order_shipped ',
      language: 'en ',
      category: 'utility',
      body: 'Hi {{orderId}}\n',
      variables: [
        { name: 'orderId', example: 'A-1' },
        { name: ' ', example: '' },
        { name: 'total', example: '9.5' },
      ],
    });
    expect(request).toEqual({
      name: 'order_shipped',
      language: 'en',
      category: 'utility',
      body: 'Hi {{orderId}}\n',
      variables: [
        { name: 'orderId', example: 'A-1' },
        { name: 'total', example: 9.5 },
      ],
    });
  });

  it('round-trips a saved template through the draft', () => {
    const template = {
      id: 'tpl_1',
      name: 'n',
      language: 'en',
      category: 'marketing',
      body: 'b {{items}}',
      variables: [{ name: 'items', example: [1] }],
      media: null,
      revision: 1,
      createdAt: '',
      updatedAt: '',
    } as Template;
    const draft = draftOf(template);
    expect(draft.variables).toEqual([{ name: 'items', example: '[1]' }]);
    expect(requestOf(draft).variables).toEqual([{ name: 'items', example: [1] }]);
  });

  it('takes the body problems of a failed save from its details, or the one problem and its place', () => {
    const listed = [
      { code: 'unknown_helper', message: 'unknown helper x', line: 2, column: 1 },
      { code: 'undeclared_variable', message: 'y is not declared', line: 3, column: 4 },
    ];
    expect(bodyProblemsOf(problem('unknown_helper', 'unknown helper x (and 1 more)', listed))).toEqual(
      listed,
    );
    expect(bodyProblemsOf(problem('template_render_failed', 'bad date', { line: 4, column: 2 }))).toEqual([
      { code: 'template_render_failed', message: 'bad date', line: 4, column: 2 },
    ]);
    expect(bodyProblemsOf(problem('template_name_taken', 'taken'))).toBeNull();
    expect(bodyProblemsOf(problem('validation_failed', 'bad', [{ field: 'body' }]))).toBeNull();
  });

  it('names positions and the lines that hold problems', () => {
    expect(positionLabel({ code: 'x', message: 'm', line: 3, column: 5 })).toBe('Line 3, column 5');
    expect(positionLabel({ code: 'x', message: 'm', line: 3 })).toBe('Line 3');
    expect(positionLabel({ code: 'x', message: 'm' })).toBeNull();
    expect([
      ...problemLines([
        { code: 'a', message: '', line: 2 },
        { code: 'b', message: '' },
      ]),
    ]).toEqual([2]);
  });

  it('finds the offset of a line and column, kept inside the text', () => {
    const text = 'ab\ncdef\n\ng';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(offsetOf(text, 2, 99)).toBe(7);
    expect(offsetOf(text, 3)).toBe(8);
    expect(offsetOf(text, 99, 1)).toBe(9);
    expect(offsetOf(text, 0, 0)).toBe(0);
  });

  it('lists the paths no declared variable covers, never contact.*', () => {
    const paths = ['contact.name', 'orderId', 'order.total', 'items', 'shop'];
    expect(undeclaredPaths(paths, ['orderId', 'order', 'items.name', ''])).toEqual(['shop']);
    expect(undeclaredPaths(paths, [])).toEqual(['orderId', 'order.total', 'items', 'shop']);
  });
});
