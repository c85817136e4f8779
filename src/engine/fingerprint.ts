import * as crypto from 'node:crypto';
import type { ObjectRef } from '../model/object-ref.js';
import { keyOf } from '../model/object-ref.js';

/** A finding's stable id: the same rule, object and key give the same id in every run. */
export function fingerprint(rule: string, object: ObjectRef, key = ''): string {
  return sha256Hex(`${rule}\u0000${keyOf(object)}\u0000${key}`).slice(0, 16);
}

/** The one-shot crypto.hash (Node 20.12+, several times cheaper per call) where there is one. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
