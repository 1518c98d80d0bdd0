/**
 * The finding: one thing the user should know about a conversion.
 * Pure data; every layer of the core produces these, the reporters render them.
 */
export type Severity = 'error' | 'warning' | 'info';

/** Higher is more severe. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** A Kubernetes object a finding is about. */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name?: string;
  /** metadata.resourceVersion when the object has one (always for objects read from a cluster). */
  resourceVersion?: string;
}

/**
 * Where a source object was read: 1-based line and column in a file, or, for an object read from
 * a live cluster, `cluster/<kubeconfig context>` with no line (the object's identity is then its
 * ObjectRef, resourceVersion included).
 */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

/** `file:line:column`, or just the file (or cluster) when there is no line. */
export function formatPosition(p: SourcePosition): string {
  return p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
}

export interface Finding {
  /** Stable id, e.g. `ingress-nginx/rewrite-target` or `core/named-port-unresolved`. */
  ruleId: string;
  severity: Severity;
  message: string;
  remediation?: string;
  /** The source object the finding is about. */
  object?: ObjectRef;
  /** Annotation key (`metadata.annotations[...]`) or field path (`spec.rules[0].http.paths[1]`). */
  field?: string;
  position?: SourcePosition;
}

function cmpStr(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Deterministic order: file, line, column, then rule id, object, field, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmpStr(a.position?.file, b.position?.file) ||
    (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
    (a.position?.column ?? 0) - (b.position?.column ?? 0) ||
    cmpStr(a.ruleId, b.ruleId) ||
    cmpStr(a.object?.namespace, b.object?.namespace) ||
    cmpStr(a.object?.kind, b.object?.kind) ||
    cmpStr(a.object?.name, b.object?.name) ||
    cmpStr(a.object?.resourceVersion, b.object?.resourceVersion) ||
    cmpStr(a.field, b.field) ||
    cmpStr(a.message, b.message)
  );
}

function findingKey(f: Finding): string {
  return JSON.stringify([f.ruleId, f.severity, f.message, f.object, f.field, f.position]);
}

/** Sorts and removes exact duplicates (the same fact reported twice by two passes). */
export function normalizeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of [...findings].sort(compareFindings)) {
    const k = findingKey(f);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(f);
    }
  }
  return out;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}
