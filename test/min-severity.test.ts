import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../src/engine/types.js';
import { atLeast } from '../src/scan.js';

const finding = (id: string, severity: Severity, causedBy: string[] = []): Finding => ({
  id, rule: 'r', severity, title: 't', category: 'pods', object: { kind: 'Pod', namespace: 'shop', name: id },
  message: id, evidence: [], rootCause: '', fix: [], causedBy,
});

describe('atLeast (--min-severity)', () => {
  it('keeps findings at or above the severity and every finding up their cause chains', () => {
    // critical ← warning ← info: the whole chain stays; an unrelated info goes.
    const findings = [finding('api', 'critical', ['db']), finding('db', 'warning', ['node']), finding('node', 'info'), finding('lint', 'info')];
    const shown = atLeast(findings, 'critical');
    expect(shown.findings.map((f) => f.id)).toEqual(['api', 'db', 'node']);
    expect(shown.hidden).toBe(1);
  });

  it('drops links to findings left out and leaves the input untouched', () => {
    const findings = [finding('api', 'warning'), finding('note', 'info', ['api', 'other']), finding('other', 'info')];
    const shown = atLeast(findings, 'warning');
    expect(shown.findings.map((f) => f.id)).toEqual(['api']);
    const all = atLeast(findings, 'info');
    expect(all.hidden).toBe(0);
    expect(all.findings.find((f) => f.id === 'note')?.causedBy).toEqual(['api', 'other']);
    const partial = atLeast([finding('a', 'critical', ['gone'])], 'critical');
    expect(partial.findings[0]?.causedBy).toEqual([]);
    expect(findings[1]?.causedBy).toEqual(['api', 'other']);
  });
});
