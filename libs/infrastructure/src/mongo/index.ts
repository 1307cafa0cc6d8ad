export * from './insert.store';
export * from './page-cursor.mapper';
export * from './read-ahead.store';
