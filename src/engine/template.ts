import type { TemplateData } from './types.js';

const placeholder = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Fills `{{name}}` placeholders; unknown ones stay as they are so tests can catch them. */
export function fillTemplate(template: string, data: TemplateData): string {
  return template.replace(placeholder, (whole, key: string) => {
    const value = data[key];
    return value === undefined ? whole : String(value);
  });
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
