import { formErrors, toProblem, unreachable } from './api-error.mapper';

describe('toProblem', () => {
  it('keeps the error body of the API', () => {
    const body = {
      statusCode: 409,
      code: 'user_exists',
      message: 'Taken',
      requestId: 'r1',
      details: { a: 1 },
    };
    expect(toProblem(409, body)).toEqual({
      status: 409,
      code: 'user_exists',
      message: 'Taken',
      requestId: 'r1',
      details: { a: 1 },
    });
  });

  it('explains answers without a body (a proxy in front of a dead API)', () => {
    expect(toProblem(502, '<html>Bad gateway</html>')).toMatchObject({ status: 502, code: 'server_error' });
    expect(toProblem(404, undefined)).toMatchObject({ status: 404, code: 'http_404' });
  });
});

describe('formErrors', () => {
  const validation = (details: unknown) =>
    toProblem(400, {
      statusCode: 400,
      code: 'validation_failed',
      message: 'Request validation failed',
      details,
    });

  it('puts each invalid field under its input, joining several messages', () => {
    const errors = formErrors(
      validation([
        { field: 'name', messages: ['name should not be empty', 'name must be a string'] },
        { field: 'phoneNumber', messages: ['phoneNumber must be an E.164 phone number like +15551234567'] },
      ]),
      ['name', 'phoneNumber'] as const,
      { labels: { phoneNumber: 'Phone number' } },
    );
    expect(errors.fields).toEqual({
      name: 'Name should not be empty; Name must be a string',
      phoneNumber: 'Phone number must be an E.164 phone number like +15551234567',
    });
    expect(errors.form).toBeUndefined();
  });

  it('names the form field by the first segment of a nested path', () => {
    expect(
      formErrors(validation([{ field: 'name.first', messages: ['too long'] }]), ['name']).fields,
    ).toEqual({
      name: 'Too long',
    });
  });

  it('keeps messages of fields the form does not have as the form message', () => {
    const errors = formErrors(validation([{ field: 'driver', messages: ['driver must be one of webjs'] }]), [
      'name',
    ]);
    expect(errors).toEqual({ fields: {}, form: 'Driver must be one of webjs' });
  });

  it('falls back to the message when validation_failed lists nothing usable', () => {
    expect(formErrors(validation(undefined), ['name'])).toEqual({
      fields: {},
      form: 'Request validation failed',
    });
  });

  it('maps codes about one field to that field, and the others to the form', () => {
    const weak = toProblem(400, { code: 'weak_password', message: 'the password needs 10 characters' });
    expect(formErrors(weak, ['name', 'password'], { codes: { weak_password: 'password' } })).toEqual({
      fields: { password: 'The password needs 10 characters' },
    });
    const taken = toProblem(409, { code: 'user_exists', message: 'A user with this email exists' });
    expect(formErrors(taken, ['name', 'password'], { codes: { weak_password: 'password' } })).toEqual({
      fields: {},
      form: 'A user with this email exists',
    });
    expect(formErrors(unreachable(), ['name']).form).toMatch(/could not be reached/);
  });
});
