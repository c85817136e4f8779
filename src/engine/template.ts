import type { TemplateData } from './types.js';

const placeholder = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** A template split once into its literal text and placeholders: [text, key, whole, text, key, whole, …, text]. */
const compiled = new Map<string, readonly string[]>();

function partsOf(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (parts) return parts;
  const list: string[] = [];
  let last = 0;
  for (const match of template.matchAll(placeholder)) {
    list.push(template.slice(last, match.index), match[1] ?? '', match[0]);
    last = match.index + match[0].length;
  }
  list.push(template.slice(last));
  parts = list;
  // Templates are the rules' own texts: a bounded set.
  if (compiled.size < 10_000) compiled.set(template, parts);
  return parts;
}

/** Fills `{{name}}` placeholders; unknown ones stay as they are so tests can catch them. */
export function fillTemplate(template: string, data: TemplateData): string {
  const parts = partsOf(template);
  if (parts.length === 1) return template;
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 3) {
    const value = data[parts[i] ?? ''];
    text += (value === undefined ? parts[i + 1] : String(value)) ?? '';
    text += parts[i + 2] ?? '';
  }
  return text;
}

/** Fills placeholders with `<name>`: how `explain` shows a runbook without a finding. */
export function genericTemplate(template: string): string {
  return template.replace(placeholder, (_whole, key: string) => `<${key}>`);
}

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] ?? '');
}

export function hasUnfilledPlaceholder(text: string): boolean {
  return /\{\{\s*[A-Za-z0-9_]+\s*\}\}/.test(text);
}
