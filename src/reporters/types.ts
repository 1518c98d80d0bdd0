import type { Finding, Severity, SourcePosition } from '../findings/finding.js';
import type { RuleStatus } from '../providers/rules.js';

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
  /** Istio Gateways and VirtualServices read (resource providers); absent when none. */
  resources?: number;
  objects: number;
  files: number;
  /** --from-cluster: per context, sorted by name; findings are grouped by `cluster/<context>` positions. */
  clusters?: ClusterSummary[];
}

/** What `scan` says happens to an annotation: a rule-table status, or `unknown` (no entry). */
export type AnnotationStatus = RuleStatus | 'unknown';

/** A finding as reported; `scan` adds what it knows about the annotation and the controller. */
export interface ReportFinding extends Finding {
  /** For findings about an annotation: whether it translates (see AnnotationStatus). */
  status?: AnnotationStatus;
  /** Display name of the controller serving the source object (`scan` only). */
  controller?: string;
}

export interface ReportInput {
  toolVersion: string;
  findings: readonly ReportFinding[];
  summary: ReportSummary;
  /**
   * With a baseline: the findings it does not hold. Undefined without a baseline (every finding
   * is new). Renderers that list findings show only these; JSON and SARIF keep all of them.
   */
  newFindings?: ReadonlySet<Finding>;
  /**
   * Absolute POSIX paths: the directory relative file names start from (the working directory)
   * and the repository root that SARIF artifact locations are relative to.
   */
  paths?: { cwd: string; root: string };
  /** Where SARIF places findings about the whole input, which have no position of their own. */
  anchor?: SourcePosition;
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
