import { draftNote, splitDryRunProblem } from './dry-run.mapper';

describe('dry run of the rule being edited', () => {
  it('sends problems of the draft to the editor, without the draft prefix', () => {
    expect(
      splitDryRunProblem({
        status: 400,
        code: 'invalid_regex',
        message: 'draft.conditions.items[1]: invalid regex: missing )',
        details: { index: 1, field: 'draft.conditions.items[1]' },
      }),
    ).toEqual({
      draft: {
        status: 400,
        code: 'invalid_regex',
        message: 'conditions.items[1]: invalid regex: missing )',
        details: { index: 1, field: 'draft.conditions.items[1]' },
      },
    });
    expect(
      splitDryRunProblem({
        status: 400,
        code: 'invalid_name',
        message: 'draft: name must not be blank',
        details: { field: 'draft.name' },
      }).draft?.message,
    ).toBe('name must not be blank');
  });

  it('splits a validation failure between the editor and the panel', () => {
    const split = splitDryRunProblem({
      status: 400,
      code: 'validation_failed',
      message: 'Request validation failed',
      details: [
        { field: 'draft.priority', messages: ['priority must be an integer number'] },
        { field: 'text', messages: ['text must be a string'] },
      ],
    });
    expect(split.draft?.details).toEqual([
      { field: 'priority', messages: ['priority must be an integer number'] },
    ]);
    expect(split.panel?.details).toEqual([{ field: 'text', messages: ['text must be a string'] }]);
    const onlyDraft = splitDryRunProblem({
      status: 400,
      code: 'validation_failed',
      message: 'Request validation failed',
      details: [{ field: 'draft', messages: ['draft must be an object'] }],
    });
    expect(onlyDraft).toEqual({
      draft: expect.objectContaining({
        details: [{ field: '(rule)', messages: ['draft must be an object'] }],
      }),
    });
  });

  it('leaves the rest to the panel', () => {
    const notFound = { status: 404, code: 'not_found', message: 'Connection not found' };
    expect(splitDryRunProblem(notFound)).toEqual({ panel: notFound });
    const other = { status: 400, code: 'invalid_phone', message: 'x', details: { field: 'from' } };
    expect(splitDryRunProblem(other)).toEqual({ panel: other });
  });

  it('says why the edited rule has no outcome', () => {
    const tried = { evaluated: [{ draft: true }] };
    const skipped = { evaluated: [{}] };
    expect(draftNote({ enabled: true }, 'con_A', tried)).toBeNull();
    expect(draftNote({ enabled: false }, 'con_A', skipped)).toMatch(/disabled/);
    expect(draftNote({ enabled: true, connectionIds: ['con_B'] }, 'con_A', skipped)).toMatch(
      /does not serve this connection/,
    );
    expect(draftNote({ enabled: true, connectionIds: ['con_A'] }, 'con_A', skipped)).toMatch(
      /a rule before it matched and stopped/,
    );
    expect(draftNote({}, 'con_A', { evaluated: [] })).toMatch(/not reached/);
  });
});
