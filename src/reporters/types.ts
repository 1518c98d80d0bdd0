import type { Finding, Severity } from '../findings/finding.js';

/** One cluster (kubeconfig context) of a --from-cluster run. */
export interface ClusterSummary {
  context: string;
  server?: string;
  /** Namespaces read: "all namespaces" or a list. */
  scope: string;
  /** read: everything; partial: some lists could not be read; failed: nothing was read. */
  status: 'read' | 'partial' | 'failed';
  objectsRead: number;
  ingresses: number;
  objects: number;
  findings: Record<Severity, number>;
  /** Where its objects were written (--output-dir). */
  output?: string;
}

export interface ReportSummary {
  ingresses: number;
  objects: number;
  files: number;
  /** --from-cluster: per context, sorted by name; findings are grouped by `cluster/<context>` positions. */
  clusters?: ClusterSummary[];
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
