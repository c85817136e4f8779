import type { ScanResult } from '../engine/types.js';
import { renderHtml } from './html/render.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { TextStyle } from './text.js';

export interface RenderContext {
  /** Colours for the text format; plain when absent. */
  readonly style?: TextStyle;
}

export type Reporter = (result: ScanResult, context: RenderContext) => string;

/** Every output format by its --format name. */
export const reporters = {
  text: (result, context) => renderText(result, context.style ? { style: context.style } : {}),
  json: (result) => renderJson(result),
  markdown: (result) => renderMarkdown(result),
  html: (result) => renderHtml(result),
  sarif: (result) => renderSarif(result),
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof reporters;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(reporters, name);
}
