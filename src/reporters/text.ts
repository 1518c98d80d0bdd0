/**
 * Human-readable findings: one block per finding, grouped by file, then a summary line; for a
 * fleet of clusters, grouped per context with a summary per cluster and one for the fleet.
 * With a baseline, only new findings are listed.
 */
import { countBySeverity, formatPosition, type Finding } from '../findings/finding.js';
import { groupByCluster } from './clusters.js';
import type { ClusterSummary, ReportInput, Style } from './types.js';
import { plural } from './plural.js';

function location(f: Finding): string {
  return f.position ? formatPosition(f.position) : '';
}

function objectText(f: Finding): string {
  if (!f.object) return '';
  const o = f.object;
  const rv = o.resourceVersion !== undefined ? ` (resourceVersion ${o.resourceVersion})` : '';
  return `${o.kind}${o.namespace || o.name ? ' ' : ''}${o.namespace ? o.namespace + '/' : ''}${o.name ?? ''}${rv}`;
}

function counts(c: Record<'error' | 'warning' | 'info', number>): string {
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info`;
}

function findingLines(findings: readonly Finding[], style: Style, lines: string[]): void {
  for (const f of findings) {
    const sev = style[f.severity](f.severity.padEnd(7));
    const where = [location(f), objectText(f), f.field].filter(Boolean).join('  ');
    lines.push(`${sev} ${f.message} ${style.dim(`[${f.ruleId}]`)}`);
    if (where) lines.push(`        ${style.dim(where)}`);
    if (f.remediation) lines.push(`        ${style.dim('fix:')} ${f.remediation}`);
  }
}

function clusterLine(k: ClusterSummary): string {
  if (k.status === 'failed') return `not read; ${counts(k.findings)}`;
  const objects = `${plural(k.objects, 'Gateway API object')}${k.output ? ` in ${k.output}` : ''}`;
  return `${plural(k.ingresses, 'Ingress', 'Ingresses')} from ${plural(k.objectsRead, 'object')} read${k.status === 'partial' ? ' (partly)' : ''} -> ${objects}; ${counts(k.findings)}`;
}

export function renderText(input: ReportInput, style: Style): string {
  const lines: string[] = [];
  const c = countBySeverity(input.findings);
  const s = input.summary;
  const clusters = s.clusters;
  const isShown = (f: Finding): boolean => !input.newFindings || input.newFindings.has(f);
  const baselineText = (all: readonly Finding[]): string => {
    if (!input.newFindings) return '';
    const fresh = all.filter(isShown).length;
    return `; ${fresh} new, ${all.length - fresh} in the baseline (not listed)`;
  };
  if (clusters && clusters.length > 1) {
    // A fleet: findings grouped per context, each with its summary, then the fleet's.
    const { groups, loose } = groupByCluster(input.findings, clusters);
    findingLines(loose.filter(isShown), style, lines);
    for (const k of clusters) {
      if (lines.length) lines.push('');
      lines.push(style.bold(`== context ${k.context}${k.server ? ` (${k.server}, ${k.scope})` : ` (${k.scope})`}`));
      const own = groups.get(k.context)!;
      findingLines(own.filter(isShown), style, lines);
      lines.push(`${k.context}: ${clusterLine(k)}${input.newFindings ? `; ${own.filter(isShown).length} new` : ''}`);
    }
    const failed = clusters.filter((k) => k.status === 'failed').length;
    lines.push('');
    lines.push(
      style.bold(
        `fleet: ${clusters.length} clusters (${clusters.length - failed} read, ${failed} failed): ${plural(s.ingresses, 'Ingress', 'Ingresses')} -> ${plural(s.objects, 'Gateway API object')}; ${counts(c)}` +
          baselineText(input.findings),
      ),
    );
    return lines.join('\n') + '\n';
  }
  const shown = input.findings.filter(isShown);
  findingLines(shown, style, lines);
  if (lines.length) lines.push('');
  const k = clusters?.[0];
  const source = k
    ? `cluster ${k.context} (${k.status === 'failed' ? 'not read' : `${plural(k.objectsRead, 'object')} read${k.status === 'partial' ? ' partly' : ''}, ${k.scope}`})`
    : plural(s.files, 'file');
  const dest = k?.output ? ` in ${k.output}` : '';
  lines.push(
    style.bold(
      `${plural(s.ingresses, 'Ingress', 'Ingresses')}${s.resources ? ` and ${plural(s.resources, 'Istio object')}` : ''} from ${source} -> ${plural(s.objects, 'Gateway API object')}${dest}; ${counts(c)}` +
        baselineText(input.findings),
    ),
  );
  return lines.join('\n') + '\n';
}
