/** Human-readable findings: one block per finding, grouped by file, then a summary line. */
import { countBySeverity, formatPosition, type Finding } from '../findings/finding.js';
import type { ReportInput, Style } from './types.js';

function location(f: Finding): string {
  return f.position ? formatPosition(f.position) : '';
}

function objectText(f: Finding): string {
  if (!f.object) return '';
  const o = f.object;
  const rv = o.resourceVersion !== undefined ? ` (resourceVersion ${o.resourceVersion})` : '';
  return `${o.kind}${o.namespace || o.name ? ' ' : ''}${o.namespace ? o.namespace + '/' : ''}${o.name ?? ''}${rv}`;
}

export function renderText(input: ReportInput, style: Style): string {
  const lines: string[] = [];
  for (const f of input.findings) {
    const sev = style[f.severity](f.severity.padEnd(7));
    const where = [location(f), objectText(f), f.field].filter(Boolean).join('  ');
    lines.push(`${sev} ${f.message} ${style.dim(`[${f.ruleId}]`)}`);
    if (where) lines.push(`        ${style.dim(where)}`);
    if (f.remediation) lines.push(`        ${style.dim('fix:')} ${f.remediation}`);
  }
  const c = countBySeverity(input.findings);
  const s = input.summary;
  if (lines.length) lines.push('');
  lines.push(
    style.bold(
      `${s.ingresses} Ingress${s.ingresses === 1 ? '' : 'es'} from ${s.files} file${s.files === 1 ? '' : 's'} -> ${s.objects} Gateway API object${s.objects === 1 ? '' : 's'}; ` +
        `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`,
    ),
  );
  return lines.join('\n') + '\n';
}
