import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { pyprojectVersion, readRepoVersions } from '../../src/sources/repo-versions.js';

let repo: string;
const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
}

beforeAll(() => {
  repo = join(mkdtempSync(join(tmpdir(), 'kubetriage-repo-')), 'shop');
  mkdirSync(repo);
  write('package.json', JSON.stringify({ name: 'shop', private: true, version: '3.0.0', workspaces: ['services/*'] }));
  write('services/frontend/package.json', JSON.stringify({ name: '@shop/frontend', version: '0.9.3' }));
  write('services/api/pyproject.toml', '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "shop-api"\nversion = "1.7.3"\ndependencies = ["fastapi"]\n');
  write('services/worker/pyproject.toml', "[tool.poetry]\nname = 'shop-worker'\nversion = '2.0.4'\n");
  write('services/frontend/node_modules/react/package.json', JSON.stringify({ name: 'react', version: '19.0.0' }));
  write('services/broken/package.json', '{ "name": ');
  execFileSync('git', ['init', '-q', repo]);
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'add', '.');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'shop 3.0.0');
  git('tag', 'v3.0.0');
});

afterAll(() => {
  rmSync(join(repo, '..'), { recursive: true, force: true });
});

describe('readRepoVersions', () => {
  it('reads package.json and pyproject.toml versions, skipping dependencies and broken files', () => {
    const versions = readRepoVersions(repo);
    expect(versions.name).toBe('shop');
    expect(versions.packages).toEqual([
      { file: 'package.json', directory: '', name: 'shop', version: '3.0.0' },
      { file: join('services', 'api', 'pyproject.toml'), directory: join('services', 'api'), name: 'shop-api', version: '1.7.3' },
      { file: join('services', 'frontend', 'package.json'), directory: join('services', 'frontend'), name: '@shop/frontend', version: '0.9.3' },
      { file: join('services', 'worker', 'pyproject.toml'), directory: join('services', 'worker'), name: 'shop-worker', version: '2.0.4' },
    ]);
  });

  it('reads HEAD, its tags and whether the working tree is dirty', () => {
    const clean = readRepoVersions(repo).head;
    expect(clean?.commit).toBe(git('rev-parse', 'HEAD'));
    expect(clean?.tags).toEqual(['v3.0.0']);
    expect(clean?.dirty).toBe(false);
    write('services/api/pyproject.toml', '[project]\nname = "shop-api"\nversion = "1.8.0"\n');
    const dirty = readRepoVersions(repo);
    expect(dirty.head?.dirty).toBe(true);
    expect(dirty.packages.find((p) => p.name === 'shop-api')?.version).toBe('1.8.0');
  });

  it('works without git (no HEAD) and rejects what is not a directory', () => {
    const plain = mkdtempSync(join(tmpdir(), 'kubetriage-plain-'));
    writeFileSync(join(plain, 'package.json'), JSON.stringify({ name: 'web', version: '1.0.0' }));
    expect(readRepoVersions(plain).head).toBeUndefined();
    expect(readRepoVersions(plain).packages).toHaveLength(1);
    expect(() => readRepoVersions(join(plain, 'package.json'))).toThrow(InputError);
    rmSync(plain, { recursive: true, force: true });
  });
});

describe('pyprojectVersion', () => {
  it('ignores a dynamic version and versions in other tables', () => {
    expect(pyprojectVersion('[project]\nname = "x"\ndynamic = ["version"]\n[tool.other]\nversion = "9.9.9"\n')).toBeUndefined();
  });
});
