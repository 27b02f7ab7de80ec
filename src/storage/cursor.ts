import { TrialPageQuery } from '../trials/ports/trial-query.port';

/** Where a page ended: the last trial's value and number, and the listing it belongs to. */
export interface Cursor {
  nullValue: boolean;
  value: number | null;
  number: number;
  /** The listing the cursor was made for (experiment, state filter, order), so it cannot page another. */
  scope: string;
}

/** The opaque text of a cursor. */
export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** Decodes a page cursor for the listing `scope`; throws a RangeError on anything that is not one of ours, or one made for another listing. */
export function decodeCursor(text: string, scope: string): Cursor {
  let c: Cursor | undefined;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    /* reported below */
  }
  if (!c || typeof c.number !== 'number' || typeof c.nullValue !== 'boolean')
    throw new RangeError('cursor is not valid: pass back the nextCursor of the previous page');
  if (c.scope !== scope)
    throw new RangeError("cursor was made for another listing (another experiment, state or sort): pass back the nextCursor of this listing's previous page");
  return c;
}

/** The listing a cursor belongs to: experiment, state filter, order. */
export function cursorScope(experimentId: number, q: TrialPageQuery): string {
  return `${experimentId}|${q.state ?? '*'}|${q.sort}|${q.direction}`;
}
