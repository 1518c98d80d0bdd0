import type { Finding } from '../findings/finding.js';

export interface ReportSummary {
  ingresses: number;
  objects: number;
  files: number;
}

export interface ReportInput {
  toolVersion: string;
  findings: readonly Finding[];
  summary: ReportSummary;
}

/** Text styling, injected by the CLI (chalk or plain). */
export interface Style {
  error(s: string): string;
  warning(s: string): string;
  info(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const PLAIN: Style = { error: (s) => s, warning: (s) => s, info: (s) => s, dim: (s) => s, bold: (s) => s };

export type Reporter = (input: ReportInput, style: Style) => string;
