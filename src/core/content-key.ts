import { createHash } from 'node:crypto';

/** A stable hash of any JSON-able value. */
export function contentKey(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
