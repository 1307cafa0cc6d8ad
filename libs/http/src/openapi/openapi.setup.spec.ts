import type { OpenAPIObject } from '@nestjs/swagger';
import { withCsrfOnChanges } from './openapi.setup';

const doc = (paths: Record<string, unknown>): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as unknown as OpenAPIObject;

describe('withCsrfOnChanges', () => {
  it('pairs the session cookie with X-CSRF-Token on changes only, leaving the key schemes alone', () => {
    const security = () => [{ bearer: [] }, { apiKey: [] }, { session: [] }];
    const out = withCsrfOnChanges(
      doc({
        '/v1/things': {
          get: { security: security(), responses: {} },
          post: { security: security(), responses: {} },
        },
        '/v1/things/{id}': {
          patch: { security: security(), responses: {} },
          delete: { security: [{ admin: [] }], responses: {} },
        },
        '/v1/public': { post: { responses: {} } },
      }),
    );
    expect(out.paths['/v1/things']!.get!.security).toEqual(security());
    expect(out.paths['/v1/things']!.post!.security).toEqual([
      { bearer: [] },
      { apiKey: [] },
      { session: [], csrf: [] },
    ]);
    expect(out.paths['/v1/things/{id}']!.patch!.security).toContainEqual({ session: [], csrf: [] });
    expect(out.paths['/v1/things/{id}']!.delete!.security).toEqual([{ admin: [] }]);
    expect(out.paths['/v1/public']!.post!.security).toBeUndefined();
  });
});
