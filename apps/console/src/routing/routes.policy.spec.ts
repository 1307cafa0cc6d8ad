import { matchRoute, safeNext, signInUrl, urls } from './routes.policy';

describe('matchRoute', () => {
  it.each([
    ['/console', 'home', {}],
    ['/console/', 'home', {}],
    ['/console/sign-in', 'sign-in', {}],
    ['/console/operator/sign-in', 'operator-sign-in', {}],
    ['/console/operator/accounts', 'operator-accounts', {}],
    ['/console/accept-invitation', 'accept-invitation', {}],
    ['/console/connections/', 'connections', {}],
    ['/console/connections/con_01ABC', 'connection', { id: 'con_01ABC' }],
    [
      '/console/conversations/con_1/4915%40c.us',
      'conversation',
      { connectionId: 'con_1', chatId: '4915@c.us' },
    ],
    ['/console/auto-replies/new', 'auto-reply', { id: 'new' }],
    ['/console/campaigns/cmp_1/runs/run_2', 'campaign-run', { id: 'cmp_1', runId: 'run_2' }],
    ['/console/campaigns/cmp_1/runs', 'not-found', {}],
    ['/console/usage', 'usage', {}],
    ['/console/usage/extra', 'not-found', {}],
    ['/console/nothing', 'not-found', {}],
    ['/console/connections/%E0%A4%A', 'not-found', {}],
    ['/consoleX/usage', 'not-found', {}],
    ['/v1/account', 'not-found', {}],
  ])('%s is %s %j', (path, name, params) => expect(matchRoute(path)).toEqual({ name, params }));

  it('builds URLs the matcher reads back', () => {
    expect(matchRoute(urls.conversation('con 1', '1203@g.us'))).toEqual({
      name: 'conversation',
      params: { connectionId: 'con 1', chatId: '1203@g.us' },
    });
    expect(matchRoute(urls.campaignRun('c/1', 'r1')).params).toEqual({ id: 'c/1', runId: 'r1' });
  });
});

describe('safeNext', () => {
  it('keeps a page of the console, with its query', () => {
    expect(safeNext('/console/usage')).toBe('/console/usage');
    expect(safeNext('/console/connections/con_1?tab=qr')).toBe('/console/connections/con_1?tab=qr');
  });

  it.each([
    null,
    '',
    'https://evil.example/console/usage',
    '//evil.example/console/usage',
    '/console//evil.example',
    '/console/../v1/api-keys',
    '/console/\\evil.example',
    '/v1/account',
    '/console/sign-in',
    '/console/operator/sign-in',
    '/console/nope',
  ])('sends %p to the connections instead', (next) => expect(safeNext(next)).toBe(urls.connections));
});

describe('signInUrl', () => {
  it('carries the page to come back to', () => {
    expect(signInUrl('/console/usage')).toBe('/console/sign-in?next=%2Fconsole%2Fusage');
  });
});
