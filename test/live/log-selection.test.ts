import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/k8s.js';
import { containersNeedingLogs } from '../../src/sources/live/log-selection.js';

const pod = (name: string, containerStatuses: unknown[]): KubeObject => ({ kind: 'Pod', metadata: { namespace: 'shop', name }, status: { containerStatuses } });

describe('containersNeedingLogs', () => {
  it('asks for crashed, failed and running-but-unready containers, unready ones last, never healthy ones', () => {
    const requests = containersNeedingLogs([
      pod('catalog-1', [{ name: 'catalog', ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-23T09:00:00Z' } } }]),
      pod('api-1', [{ name: 'api', ready: false, restartCount: 37, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }]),
      pod('report-1', [{ name: 'report', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }]),
      pod('web-1', [{ name: 'web', ready: true, restartCount: 0, state: { running: {} } }]),
      pod('init-1', [{ name: 'starting', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }]),
    ]);
    expect(requests).toEqual([
      { namespace: 'shop', pod: 'api-1', container: 'api', previous: true },
      { namespace: 'shop', pod: 'report-1', container: 'report', previous: false },
      { namespace: 'shop', pod: 'catalog-1', container: 'catalog', previous: false },
    ]);
  });
});
