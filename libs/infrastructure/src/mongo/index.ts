export * from './insert.store';
export * from './page-cursor.mapper';
