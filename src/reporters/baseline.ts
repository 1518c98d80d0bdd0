/**
 * Baselines: a JSON report (schemas/report.schema.json) saved from an earlier run lists the
 * findings a repository has accepted; only findings beyond it are new. A finding is identified
 * without its line and column, so that editing a file above it does not make it new: by rule,
 * file, object and field. Equal identities are counted, so a second identical finding is new.
 */
import type { Finding } from '../findings/finding.js';

export type Baseline = ReadonlyMap<string, number>;

/** The identity of a finding across runs (not its line, column or wording). */
export function findingIdentity(f: Pick<Finding, 'ruleId' | 'object' | 'field' | 'position'>): string {
  return JSON.stringify([f.ruleId, f.position?.file ?? '', f.object?.kind ?? '', f.object?.namespace ?? '', f.object?.name ?? '', f.field ?? '']);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a baseline from the text of a JSON report; a message says what is wrong with it. */
export function parseBaseline(text: string): { baseline: Baseline } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${e instanceof Error ? e.message : String(e)}); a baseline is a report written with --format json` };
  }
  if (!isRecord(data) || !Array.isArray(data.findings)) return { error: 'not a gateway-shift JSON report (no "findings" list); write one with --format json' };
  const counts = new Map<string, number>();
  for (const [i, f] of data.findings.entries()) {
    if (!isRecord(f) || typeof f.ruleId !== 'string') return { error: `findings[${i}] has no ruleId` };
    const o = isRecord(f.object) ? f.object : undefined;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const object = o ? { kind: str(o.kind) ?? '', namespace: str(o.namespace), name: str(o.name) } : undefined;
    const position = isRecord(f.position) && typeof f.position.file === 'string' ? { file: f.position.file, line: 0, column: 0 } : undefined;
    const k = findingIdentity({ ruleId: f.ruleId, object, field: typeof f.field === 'string' ? f.field : undefined, position });
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { baseline: counts };
}

/** The findings the baseline does not account for, in the findings' order. */
export function newFindings<F extends Finding>(findings: readonly F[], baseline: Baseline): Set<F> {
  const left = new Map(baseline);
  const out = new Set<F>();
  for (const f of findings) {
    const k = findingIdentity(f);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.add(f);
  }
  return out;
}
