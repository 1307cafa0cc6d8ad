import { pageQueryDto } from '@wwb/http';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto extends pageQueryDto({
  maxLimit: MAX_PAGE_SIZE,
  defaultLimit: DEFAULT_PAGE_SIZE,
}) {}

export const encodeCursor = (lastId: string): string => Buffer.from(lastId, 'utf8').toString('base64url');

/** The id a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string, idPattern: RegExp): string | undefined {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return idPattern.test(id) ? id : undefined;
}
