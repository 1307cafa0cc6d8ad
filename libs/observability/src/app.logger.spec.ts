import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT_PATHS } from './app.logger';

/** A pino logger with the app's redaction writing JSON lines into `lines`. */
function capture(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink), lines };
}

describe('log redaction', () => {
  it('blanks out keys, passwords, session and invitation tokens, CSRF tokens and credential headers', () => {
    const { log, lines } = capture();
    log.info({
      body: {
        email: 'a@example.com',
        password: 'hunter2hunter2',
        token: 'inv_secret',
        adminKey: 'op_secret',
      },
      session: { csrfToken: 'csrf_secret', csrf: 'csrf_raw' },
      req: {
        headers: {
          authorization: 'Bearer k',
          cookie: 'wwb_session=s',
          'x-csrf-token': 'c',
          'x-api-key': 'k',
        },
      },
    });
    const out = lines.join('');
    for (const secret of [
      'hunter2hunter2',
      'inv_secret',
      'op_secret',
      'csrf_secret',
      'csrf_raw',
      'wwb_session=s',
      'Bearer k',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('a@example.com');
  });
});
