/** Reporters as a plain map from format name to a pure render function. */
import { renderJson } from './json.js';
import { renderText } from './text.js';
import type { Reporter } from './types.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: renderText,
  json: (input) => renderJson(input),
};

export type ReportFormat = keyof typeof REPORTERS;
