import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { severities } from '../engine/types.js';
import type { Severity } from '../engine/types.js';
import { InputError } from '../errors.js';
import { configFileName, emptyConfig } from './config.js';
import type { IgnoredObject, KubetriageConfig } from './config.js';

/**
 * Reads the config given with --config, or `.kubetriage.yaml` in the working folder when
 * there is one. Every mistake is an InputError naming file:line and what was expected.
 */
export async function loadConfig(explicit: string | undefined, cwd: string, knownRules: readonly string[]): Promise<KubetriageConfig> {
  const file = explicit ?? join(cwd, configFileName);
  if (explicit === undefined && !existsSync(file)) return emptyConfig;
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError({ file }, 'cannot read the config file');
  });
  return parseConfig(text, explicit ?? configFileName, knownRules);
}

const topLevelKeys = ['disabledRules', 'severity', 'ignore', 'ruleOptions', 'failOn'];
const ignoreKeys = ['namespaces', 'objects'];
const objectKeys = ['kind', 'namespace', 'name', 'rules', 'reason'];

/** Validates and reads a config document. */
export function parseConfig(text: string, file: string, knownRules: readonly string[]): KubetriageConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail = (node: unknown, problem: string): never => {
    const offset = (node as YamlNode | null | undefined)?.range?.[0] ?? 0;
    const at = lines.linePos(offset);
    throw new InputError({ file, line: at.line, column: at.col }, problem);
  };
  const syntax = document.errors[0];
  if (syntax) fail({ range: syntax.pos }, `invalid YAML: ${syntax.message.split('\n')[0] ?? ''}`);
  const root = document.contents;
  if (root === null) return { ...emptyConfig, file };
  if (!isMap(root)) return fail(root, 'expected a mapping with keys disabledRules, severity, ignore, ruleOptions, failOn');

  const ruleId = (node: unknown): string => {
    const id = scalarString(node, fail, 'a rule id');
    if (!knownRules.includes(id)) fail(node, `unknown rule id "${id}"${suggest(id, knownRules)}; \`kubetriage rules\` lists them`);
    return id;
  };
  const severity = (node: unknown): Severity => {
    const value = scalarString(node, fail, 'a severity');
    if (!(severities as readonly string[]).includes(value)) fail(node, `"${value}" is not a severity: expected one of ${severities.join(', ')}`);
    return value as Severity;
  };

  let config: KubetriageConfig = { ...emptyConfig, file };
  for (const pair of checkKeys(root, topLevelKeys, fail, 'the config')) {
    const key = String((pair.key as { value: unknown }).value);
    const value = pair.value;
    if (key === 'disabledRules') config = { ...config, disabledRules: sequence(value, fail, 'disabledRules').map(ruleId) };
    else if (key === 'failOn') config = { ...config, failOn: severity(value) };
    else if (key === 'severity') {
      if (!isMap(value)) return fail(value ?? pair.key, 'severity: expected a mapping of rule id to critical, warning or info');
      const overrides: Record<string, Severity> = {};
      for (const item of value.items) overrides[ruleId(item.key)] = severity(item.value ?? item.key);
      config = { ...config, severity: overrides };
    } else if (key === 'ruleOptions') {
      if (!isMap(value)) return fail(value ?? pair.key, 'ruleOptions: expected a mapping of option name to value');
      config = { ...config, ruleOptions: value.toJSON() as Record<string, unknown> };
    } else {
      if (!isMap(value)) return fail(value ?? pair.key, 'ignore: expected a mapping with namespaces and/or objects');
      for (const entry of checkKeys(value, ignoreKeys, fail, 'ignore')) {
        const entryKey = String((entry.key as { value: unknown }).value);
        const items = sequence(entry.value, fail, `ignore.${entryKey}`);
        if (entryKey === 'namespaces') config = { ...config, ignoreNamespaces: items.map((n) => scalarString(n, fail, 'a namespace name')) };
        else config = { ...config, ignoreObjects: items.map((item) => ignoredObject(item, fail, ruleId)) };
      }
    }
  }
  return config;
}

type Fail = (node: unknown, problem: string) => never;

function checkKeys(map: YAMLMap, allowed: readonly string[], fail: Fail, where: string): YAMLMap['items'] {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key)) fail(pair.key, `unknown key "${key}" in ${where}: expected one of ${allowed.join(', ')}${suggest(key, allowed)}`);
  }
  return map.items;
}

function sequence(node: unknown, fail: Fail, where: string): unknown[] {
  if (!isSeq(node)) return fail(node, `${where}: expected a list`);
  return node.items;
}

function scalarString(node: unknown, fail: Fail, what: string): string {
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) return fail(node, `expected ${what} (a string)`);
  return String(node.value);
}

function ignoredObject(node: unknown, fail: Fail, ruleId: (node: unknown) => string): IgnoredObject {
  if (!isMap(node)) return fail(node, 'ignore.objects: expected entries like { kind: Secret, namespace: shop, name: dev-db, rules: [plaintext-secret], reason: … }');
  let object: { -readonly [K in keyof IgnoredObject]?: IgnoredObject[K] } = {};
  for (const pair of checkKeys(node, objectKeys, fail, 'an ignored object')) {
    const key = String((pair.key as { value: unknown }).value);
    if (key === 'rules') object = { ...object, rules: sequence(pair.value, fail, 'rules').map(ruleId) };
    else object = { ...object, [key]: scalarString(pair.value, fail, key) };
  }
  if (object.name === undefined) return fail(node, 'an ignored object needs a name (use "*" for every name)');
  return { ...object, name: object.name };
}

function suggest(value: string, candidates: readonly string[]): string {
  const close = candidates.find((c) => distance(c, value) <= Math.max(2, Math.floor(value.length / 4)));
  return close ? ` (did you mean "${close}"?)` : '';
}

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}
