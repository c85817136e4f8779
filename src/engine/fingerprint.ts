import { createHash } from 'node:crypto';
import type { ObjectRef } from '../model/object-ref.js';
import { keyOf } from '../model/object-ref.js';

/** A finding's stable id: the same rule, object and key give the same id in every run. */
export function fingerprint(rule: string, object: ObjectRef, key = ''): string {
  return createHash('sha256').update(`${rule}\u0000${keyOf(object)}\u0000${key}`).digest('hex').slice(0, 16);
}
