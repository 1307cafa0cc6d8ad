export * from './test-config';
export * from './wait-for';
