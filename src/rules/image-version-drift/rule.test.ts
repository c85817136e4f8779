import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RepoVersions } from '../../sources/repo-versions.js';
import { testRule } from '../../../test/support/rule-tester.js';
import rule, { commitInTag, packageForImage } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

/** What `--repo ~/src/shop` reads from a monorepo (see test/sources/repo-versions.test.ts for the reading itself). */
const shopRepo: RepoVersions = {
  root: '/home/dev/src/shop',
  name: 'shop',
  packages: [
    { file: 'package.json', directory: '', name: 'shop', version: '3.0.0' },
    { file: 'services/api/pyproject.toml', directory: 'services/api', name: 'shop-api', version: '1.7.3' },
    { file: 'services/frontend/package.json', directory: 'services/frontend', name: '@shop/frontend', version: '0.9.3' },
    { file: 'services/worker/package.json', directory: 'services/worker', name: '@shop/worker', version: '2.0.4' },
  ],
  head: { commit: '9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5', dirty: false, tags: [] },
};

testRule(rule, fixtures, {
  valid: [
    { name: 'tags equal to the declared versions and HEAD, environments on one version, an unrelated team on another postgres', fixture: 'healthy.json', options: { repoVersions: shopRepo } },
    { name: 'without --repo, one environment has nothing to drift from', fixture: 'repo-version-mismatch.json' },
  ],
  invalid: [
    {
      name: 'an api older than its pyproject.toml and a frontend built from an old commit',
      fixture: 'repo-version-mismatch.json',
      options: { repoVersions: shopRepo },
      findings: [
        {
          object: 'Deployment/shop/api',
          cause: 'version-mismatch',
          message: ['deployment/api runs shopacr.azurecr.io/shop/api:1.6.0 but services/api/pyproject.toml declares version 1.7.3'],
          evidence: ['services/api/pyproject.toml: name shop-api, version 1.7.3', 'git HEAD 9a8b7c6d5e4f'],
          rootCause: ['repository moved on and the cluster still runs an older release'],
          commands: ['kubectl -n shop set image deployment/api api=shopacr.azurecr.io/shop/api:1.7.3'],
        },
        {
          object: 'Deployment/shop/frontend',
          cause: 'behind-head',
          message: ['built from commit 3f9c2e1; the repository is at 9a8b7c6'],
          commands: ['git -C /home/dev/src/shop log --oneline 3f9c2e1..HEAD', 'kubectl -n shop set image deployment/frontend frontend=shopacr.azurecr.io/shop/frontend:sha-9a8b7c6'],
        },
      ],
    },
    {
      name: 'shop-staging behind shop on the api and on postgres',
      fixture: 'environment-drift.json',
      findings: [
        {
          object: 'Deployment/shop-staging/api',
          cause: 'environment-drift',
          message: ['deployment/api in shop-staging runs shopacr.azurecr.io/shop/api:1.6.0 while shop/deployment/api runs 1.7.3'],
          evidence: ['shop/deployment/api container api: shopacr.azurecr.io/shop/api:1.7.3'],
          commands: ['kubectl -n shop-staging set image deployment/api api=shopacr.azurecr.io/shop/api:1.7.3'],
        },
        {
          object: 'StatefulSet/shop-staging/postgres',
          cause: 'environment-drift',
          message: ['runs docker.io/library/postgres:15.8 while shop/statefulset/postgres runs 16.4'],
        },
      ],
    },
  ],
});

describe('matching images to the repository', () => {
  it('finds the package by directory, package name or the repository name', () => {
    expect(packageForImage(shopRepo, 'shopacr.azurecr.io/shop/api')?.file).toBe('services/api/pyproject.toml');
    expect(packageForImage(shopRepo, 'ghcr.io/acme/shop-frontend')?.file).toBe('services/frontend/package.json');
    expect(packageForImage(shopRepo, 'ghcr.io/acme/shop')?.file).toBe('package.json');
    expect(packageForImage(shopRepo, 'docker.io/library/postgres')).toBeUndefined();
  });
  it('reads commit SHAs out of tags, not build numbers', () => {
    expect(commitInTag('sha-3f9c2e1')).toBe('3f9c2e1');
    expect(commitInTag('1.7.3-3f9c2e1d')).toBe('3f9c2e1d');
    expect(commitInTag('20261120')).toBeUndefined();
    expect(commitInTag('1.7.3')).toBeUndefined();
  });
});
