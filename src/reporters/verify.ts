/**
 * The `verify` report as text or JSON: pure functions from the verification result, so that
 * other formats (SARIF, Markdown) can be added beside them.
 */
import type { ObjectRef } from '../findings/finding.js';
import { countBySeverity } from '../findings/finding.js';
import { describeOutcome } from '../verify/compare.js';
import type { Difference, Involvement, Outcome, Probe } from '../verify/types.js';
import type { VerifyResult } from '../verify/verify.js';
import type { Style } from './types.js';

export const VERIFY_REPORT_VERSION = 1;

export interface VerifyReportInput {
  toolVersion: string;
  files: number;
  result: VerifyResult;
}

/** `spec.rules[0].http.paths[1]`, `metadata.annotations[key]`. */
function pathText(path: readonly (string | number)[]): string {
  if (path[0] === 'metadata' && path[1] === 'annotations' && path.length === 3) return `metadata.annotations[${String(path[2])}]`;
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? ''}`;
}

export function requestText(p: Probe): string {
  const headers = Object.entries(p.headers)
    .filter(([k]) => k !== 'content-type' || !p.grpc)
    .map(([k, v]) => ` ${k}: ${v}`)
    .join(',');
  if (p.scheme === 'tcp') return p.mesh ? `TCP to Service ${p.mesh.service}:${p.mesh.port} (mesh)` : `TCP to port ${p.port ?? ''}`;
  const target = p.mesh ? ` (mesh: Service ${p.mesh.service}:${p.mesh.port})` : '';
  return `${p.grpc ? 'gRPC ' : ''}${p.method} ${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}${p.path}${p.query ? `?${p.query}` : ''}${headers ? ` [${headers.trim()}]` : ''}${target}`;
}

function involvementText(i: Involvement): string {
  return `${refText(i.object)}${i.path ? ` ${pathText(i.path)}` : ''} (${i.role})`;
}

function objectsOf(d: Difference): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const i of [...d.source.involved, ...d.gateway.involved]) {
    if (i.role === 'route-match') continue;
    const t = involvementText(i);
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}

function outcomeLine(o: Outcome): string {
  return `${describeOutcome(o)}  (${o.via})`;
}

export function renderVerifyText(input: VerifyReportInput, style: Style): string {
  const r = input.result;
  const lines: string[] = [];
  const unexplained = r.differences.filter((d) => d.explainedBy.length === 0);
  const explained = r.differences.filter((d) => d.explainedBy.length > 0);
  for (const d of unexplained) {
    const provider = r.entries.find((e) => e.entry === d.probe.entry)?.provider ?? 'source';
    lines.push(`${style.error('unexplained')} ${style.bold(requestText(d.probe))}`);
    lines.push(`    ${provider}: ${outcomeLine(d.source)}`);
    lines.push(`    Gateway API: ${outcomeLine(d.gateway)}`);
    lines.push(`    ${style.dim('differs in:')} ${d.aspects.join(', ')}`);
    lines.push(`    ${style.dim('objects:')} ${objectsOf(d).join('; ')}`);
  }
  for (const d of explained) {
    const ids = [...new Set(d.explainedBy.map((e) => e.ruleId))].join(', ');
    lines.push(`${style.info('explained  ')} ${requestText(d.probe)}  ${style.dim(`${d.aspects.join(', ')}: ${describeOutcome(d.source)} / ${describeOutcome(d.gateway)} [${ids}]`)}`);
  }
  if (lines.length) lines.push('');
  for (const n of r.notVerified) lines.push(`${style.warning('not verified')} ${refText(n.object)}: ${n.reason}`);
  for (const e of r.entries) {
    lines.push(
      `${e.provider} (${e.entry === 'mesh' ? 'mesh' : `load balancer ${e.entry}`}): ${e.ingresses} ${e.provider === 'istio' ? 'VirtualService' : 'Ingress'}${e.ingresses === 1 ? '' : e.provider === 'istio' ? 's' : 'es'}, ${e.probes} requests, ${e.compared} compared` +
        `${e.notCompared ? ` (${e.notCompared} not modelled)` : ''}, ${e.differences} difference${e.differences === 1 ? '' : 's'}, ${e.unexplained} unexplained`,
    );
    const keys = new Set(e.unmodelled.flatMap((u) => u.keys));
    if (keys.size) lines.push(style.dim(`    not simulated: ${[...keys].sort().map((k) => k.replace(/^nginx\.ingress\.kubernetes\.io\//, '')).join(', ')}`));
  }
  const s = r.stats;
  lines.push(
    style.bold(
      `${s.probes} requests from ${input.files} file${input.files === 1 ? '' : 's'}: ${s.compared} compared, ${s.differences} difference${s.differences === 1 ? '' : 's'} (${s.explained} explained by findings, ${s.unexplained} unexplained)`,
    ),
  );
  return lines.join('\n') + '\n';
}

function outcomeJson(o: Outcome): Record<string, unknown> {
  const { involved, ...rest } = o;
  return {
    ...rest,
    involved: involved.map((i) => ({ object: i.object, ...(i.path ? { field: pathText(i.path) } : {}), role: i.role, ...(i.value !== undefined ? { value: i.value } : {}) })),
  };
}

export function buildVerifyJson(input: VerifyReportInput): Record<string, unknown> {
  const r = input.result;
  return {
    reportVersion: VERIFY_REPORT_VERSION,
    tool: { name: 'gateway-shift', version: input.toolVersion },
    summary: { files: input.files, ...r.stats, conversionFindings: countBySeverity(r.conversion.findings) },
    models: {
      gatewayApi: { version: 'v1.6.1', regexPrecedence: r.gatewayModel.regexPrecedence, notes: r.gatewayModel.notes },
      sources: r.entries.map((e) => ({
        provider: e.provider,
        entry: e.entry,
        ingresses: e.ingresses,
        probes: e.probes,
        compared: e.compared,
        notCompared: e.notCompared,
        differences: e.differences,
        unexplained: e.unexplained,
        assumptions: e.assumptions,
        notSimulated: e.unmodelled,
      })),
    },
    notVerified: r.notVerified,
    differences: r.differences.map((d) => ({
      request: { ...d.probe },
      explained: d.explainedBy.length > 0,
      aspects: d.aspects,
      source: outcomeJson(d.source),
      gatewayApi: outcomeJson(d.gateway),
      explainedBy: d.explainedBy,
    })),
  };
}

export function renderVerifyJson(input: VerifyReportInput): string {
  return JSON.stringify(buildVerifyJson(input), null, 2) + '\n';
}

export const VERIFY_REPORTERS: Readonly<Record<string, (input: VerifyReportInput, style: Style) => string>> = {
  text: renderVerifyText,
  json: (input) => renderVerifyJson(input),
};
