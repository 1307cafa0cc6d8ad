import { matchRoute, safeNext, signInUrl, urls } from './routes.policy';

describe('matchRoute', () => {
  it.each([
    ['/console', { name: 'home' }],
    ['/console/', { name: 'home' }],
    ['/console/sign-in', { name: 'sign-in' }],
    ['/console/accept-invitation', { name: 'accept-invitation' }],
    ['/console/connections/', { name: 'connections' }],
    ['/console/connections/con_01ABC', { name: 'connection', id: 'con_01ABC' }],
    ['/console/usage', { name: 'usage' }],
    ['/console/usage/extra', { name: 'not-found' }],
    ['/console/nothing', { name: 'not-found' }],
    ['/consoleX/usage', { name: 'not-found' }],
    ['/v1/account', { name: 'not-found' }],
  ])('%s is %j', (path, route) => expect(matchRoute(path)).toEqual(route));
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
    '/console/nope',
  ])('sends %p to the connections instead', (next) => expect(safeNext(next)).toBe(urls.connections));
});

describe('signInUrl', () => {
  it('carries the page to come back to', () => {
    expect(signInUrl('/console/usage')).toBe('/console/sign-in?next=%2Fconsole%2Fusage');
  });
});
