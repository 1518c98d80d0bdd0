/** Reporters as a plain map from format name to a pure render function. */
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Reporter } from './types.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: renderText,
  json: (input) => renderJson(input),
  sarif: (input) => renderSarif(input),
  markdown: (input) => renderMarkdown(input),
};

export type ReportFormat = keyof typeof REPORTERS;
