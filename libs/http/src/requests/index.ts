export { requestIdOf } from './request-id';
export { allowMultipartBody, allowStreamBody } from './json-body.middleware';
export { HTTP_REQUEST_ANSWERED } from './http-observer.middleware';
export type { HttpRequestAnswered } from './http-observer.middleware';
