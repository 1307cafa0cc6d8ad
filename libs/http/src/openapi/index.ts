export * from './api-docs';
export { OPENAPI_JSON_PATH, SWAGGER_UI_PATH, buildOpenApiDocument } from './openapi.setup';
