import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { AppError } from './app.error';
import { AppValidationPipe, fieldErrors } from './validation.pipe';

class Inner {
  @IsInt() n!: number;
}
class Outer {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

async function failure(value: unknown): Promise<AppError> {
  const pipe = new AppValidationPipe();
  try {
    await pipe.transform(value, { type: 'body', metatype: Outer });
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a validation failure');
}

describe('AppValidationPipe', () => {
  it('refuses unknown fields and wrong types with 400 validation_failed, one entry per field', async () => {
    const err = await failure({ name: 1, inner: { n: 'x' }, extra: true });
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('validation_failed');
    const fields = (err.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['extra', 'inner.n', 'name']);
  });

  it('refuses a body that is not an object', async () => {
    const err = await failure([1, 2]);
    expect(err.code).toBe('validation_failed');
  });

  it('passes and transforms a valid body', async () => {
    const out = await new AppValidationPipe().transform(
      { name: 'a', inner: { n: 1 } },
      { type: 'body', metatype: Outer },
    );
    expect(out).toBeInstanceOf(Outer);
  });

  it('fieldErrors names the body itself when there is no property', () => {
    expect(
      fieldErrors([
        { property: '', constraints: { unknownValue: 'an unknown value was passed' }, children: [] },
      ]),
    ).toEqual([{ field: '(body)', messages: ['an unknown value was passed'] }]);
  });
});
