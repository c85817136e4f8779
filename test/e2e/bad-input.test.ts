import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kubetriage.js');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'kubetriage-bad-'));

interface Run { code: number; stdout: string; stderr: string }

async function scan(file: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'scan', '--snapshot', file, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const podList = (items: string): string => `{\n    "kind": "PodList",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [${items}]\n}\n`;
const pod = (name: string): string => `{"metadata": {"name": "${name}", "namespace": "shop"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}`;

// Each case: the input, then the exact message after "kubetriage: ": file, line:column, what was expected and the byte offset.
const garbage: [string, string | Buffer, string][] = [
  ['truncated.json', podList(pod('a')).slice(0, 60), "truncated.json:4:12: unexpected end of input: expected '\"' closing the string (the input is truncated) (byte 60)"],
  ['pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n', 'pod.yaml:1:1: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, found YAML (a "key: value" line); scan reads JSON: use kubectl get -o json, or kubetriage lint for manifests (byte 0)'],
  ['binary.json', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x7b]), 'binary.json:1:1: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, found binary data (0x00) (byte 0)'],
  ['empty.json', '', 'empty.json:1:1: the input is empty: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, or a kubetriage bundle (byte 0)'],
  ['blank.json', '\n\n   \n', 'blank.json:1:1: the input is empty: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, or a kubetriage bundle (byte 0)'],
  ['numbers.json', '[1, 2, 3]\n', 'numbers.json:1:2: expected every element of the array to be a Kubernetes object (a JSON object with "kind"), found a number as element 1 (byte 1)'],
  ['strings.json', '"kubectl get pods"', 'strings.json:1:1: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, found a string, not a Kubernetes object or list (byte 0)'],
  ['bad-item.json', podList(`${pod('a')},\n        {"metadata": {"name": "b",}}`), `bad-item.json:6:35: expected a property name in double quotes, found '}' (byte 233); dropped the 1 object already read from this document`],
  ['no-kind.json', '{"metadata": {"name": "x"}}', 'no-kind.json:1:1: expected a Kubernetes object with a "kind" field, found an object without one (byte 0)'],
  ['archive.json', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'archive.json:1:1: expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, found a zip archive (unzip it first) (byte 0)'],
  ['broken.json.gz', gzipSync(podList(pod('a'))).subarray(0, 30), 'broken.json.gz: expected gzip data (a kubetriage bundle or a gzipped dump), but it is corrupt or truncated: unexpected end of file'],
];

describe('unreadable input: exit 2, a message with file, byte, line:column and what was expected', () => {
  it.each(garbage)('%s', async (name, content, message) => {
    const file = write(name, content);
    const result = await scan(file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.stderr).toBe(`kubetriage: ${join(dir, message)}\n`);
  });

  it.each([
    ['two-documents.json', `${podList(pod('a'))}${podList(`${pod('b')}, ${pod('c')}`).slice(0, 120)}`, `11:52: unexpected end of input: expected '"' closing the string (the input is truncated) (byte 321)`],
    ['garbage-after.json', `${podList(pod('a'))}Cluster info dumped to standard output\n`, `7:1: expected another JSON document or a "==== START logs" line, found 'C' (byte 201)`],
  ])('keeps the sound document when the next one is broken, and notes it: %s', async (name, content, where) => {
    const file = write(name, content);
    const result = await scan(file, '--format', 'json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { objects: number }; notes: string[] };
    expect(report.summary.objects).toBe(1);
    expect(report.notes).toEqual([`partial result: ${file}:${where}; the rest was read`]);
  });

  it('reads the sound files of a directory and notes the broken one', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'shop'), { recursive: true });
    writeFileSync(join(tree, 'shop', 'pods.json'), podList(pod('a')));
    writeFileSync(join(tree, 'shop', 'services.json'), '{"kind": "ServiceList", "items": [');
    writeFileSync(join(tree, 'shop', 'notes.yaml'), 'a: 1\n');
    const result = await scan(tree, '--format', 'json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { objects: number }; notes: string[] };
    expect(report.summary.objects).toBe(1);
    expect(report.notes).toEqual([
      `${tree}: skipped 1 files that are not JSON, gzip or logs (shop/notes.yaml); manifests in YAML are for kubetriage lint`,
      `partial result: ${join(tree, 'shop', 'services.json')}:1:35: unexpected end of input after 0 list items: expected ',' or ']' (the input is truncated) (byte 34); the rest was read`,
    ]);
  });
});
