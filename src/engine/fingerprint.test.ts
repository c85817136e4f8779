import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it('is the first 16 hex digits of sha256(rule NUL kind/namespace/name NUL key): ids stay the same across versions', () => {
    expect(fingerprint('crash-loop', { kind: 'Deployment', namespace: 'shop', name: 'api' })).toBe('59b50fa0983759ee');
    const expected = createHash('sha256').update('image-pull-failed\u0000Node//aks-0\u0000tag').digest('hex').slice(0, 16);
    expect(fingerprint('image-pull-failed', { kind: 'Node', name: 'aks-0' }, 'tag')).toBe(expected);
  });
});
