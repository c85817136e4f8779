import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/support/rule-tester.js';
import rule, { parseDatabaseUrl } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

const unknownHost = {
  object: 'Deployment/shop/api',
  cause: 'host-not-found',
  severity: 'critical' as const,
  message: ['DATABASE_URL of deployment/api points at postgres-primary, but namespace shop has no Service postgres-primary'],
  evidence: ['DATABASE_URL = postgresql://shop:****@postgres-primary:5432/shop', 'no Service postgres-primary in namespace shop (Services there: postgres)'],
  rootCause: ['read as Service postgres-primary in namespace shop'],
  commands: ['kubectl -n shop get services'],
};

testRule(rule, fixtures, {
  valid: [
    { name: 'short, namespaced and full Service names that exist, a managed database, a key=value DSN, sqlite and a URL held in a Secret', fixture: 'healthy.json' },
    { name: 'the same as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    { name: 'a host that is not a Service in the namespace', fixture: 'unknown-host.json', findings: [unknownHost] },
    { name: 'the same manifests before deploy: a warning, since other manifests may hold the Service', fixture: 'unknown-host.json', source: 'manifests', findings: [{ ...unknownHost, severity: 'warning' as const, evidence: ['checked against the Services in these manifests only'] }] },
    {
      name: 'a svc.cluster.local name in another namespace, from a ConfigMap key',
      fixture: 'cross-namespace-host.json',
      findings: [{
        object: 'Deployment/shop/worker',
        cause: 'host-not-found',
        message: ['points at db.data.svc.cluster.local, but namespace data has no Service db'],
        evidence: ['ConfigMap worker-config key DATABASE_URL', 'no Service db in namespace data (Services there: postgres)'],
        commands: ['kubectl -n data get services'],
      }],
    },
    {
      name: 'a password with an unescaped @',
      fixture: 'password-with-at-sign.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'unparseable',
        message: ['does not parse', 'unescaped @'],
        rootCause: ['%40'],
      }],
    },
  ],
});

describe('parseDatabaseUrl', () => {
  it('reads URLs, libpq key=value and Go DSNs', () => {
    expect(parseDatabaseUrl('postgresql://u:p@db.shop.svc:5432/x')).toEqual({ target: { host: 'db.shop.svc', port: 5432 } });
    expect(parseDatabaseUrl('host=db port=5432 dbname=x')).toEqual({ target: { host: 'db', port: 5432 } });
    expect(parseDatabaseUrl('u:p@tcp(mysql:3306)/x')).toEqual({ target: { host: 'mysql', port: 3306 } });
    expect(parseDatabaseUrl('mongodb://u:p@mongo-0.mongo:27017,mongo-1.mongo:27017/x?replicaSet=rs0')).toEqual({ target: { host: 'mongo-0.mongo', port: 27017 } });
  });
  it('names what is wrong', () => {
    expect(parseDatabaseUrl('postgres:5432/shop')).toEqual({ problem: 'no scheme:// (expected scheme://user:password@host:port/database)' });
    expect(parseDatabaseUrl('postgresql://u:p@db:54x2/shop')).toEqual({ problem: 'port "54x2" is not a number between 1 and 65535' });
    expect(parseDatabaseUrl('postgresql://u:p@/shop')).toEqual({ problem: 'the host is empty' });
  });
});
