/**
 * Markdown for a pull-request comment: a summary per controller and per severity, what happens
 * to the annotations, then the findings (new ones only, with a baseline). For clusters, a table
 * per cluster (what was read, the counts, which could not be read) and the findings per cluster. Kept well under
 * GitHub's 65,536-character comment limit by listing at most a fixed number of rows per
 * severity; the SARIF and JSON reports hold everything.
 */
import { countBySeverity, formatPosition, type Severity } from '../findings/finding.js';
import { clusterOf, groupByCluster } from './clusters.js';
import { repoRelative } from './paths.js';
import { GENERAL, SCAN_INGRESS_RULE, SCAN_ISTIO_GATEWAY_RULE, SCAN_VIRTUAL_SERVICE_RULE } from './scan.js';
import type { AnnotationStatus, ClusterSummary, ReportFinding, ReportInput } from './types.js';
import { plural } from './plural.js';

/** Rows listed per severity. */
export const MAX_ROWS: Record<Severity, number> = { error: 100, warning: 100, info: 50 };
/** The whole comment stays below this many characters (GitHub refuses comments past 65,536). */
export const MAX_CHARS = 60000;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const STATUSES: readonly [AnnotationStatus, string][] = [
  ['translated', 'Translated'],
  ['partial', 'Partly'],
  ['target-specific', 'Needs an implementation policy'],
  ['unsupported', 'Cannot be translated'],
  ['unknown', 'Unknown'],
  ['ignored', 'Ignored'],
];

/** Text shown as is in Markdown: HTML and Markdown syntax escaped. */
export function mdText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#])/g, '\\$1');
}

/** Text for a Markdown table cell: escaped, on one line. */
export function mdCell(s: string): string {
  return mdText(s).replace(/\r?\n/g, '<br>');
}

function code(s: string): string {
  // Inline code cannot hold a backtick or a pipe inside a table; fall back to escaped text.
  return /[`|\n]/.test(s) ? mdCell(s) : `\`${s}\``;
}

function controllerName(c: string | undefined): string {
  return !c || c === GENERAL ? 'Inputs and topology' : c;
}

function isInventory(f: ReportFinding): boolean {
  return f.ruleId === SCAN_INGRESS_RULE || f.ruleId === SCAN_VIRTUAL_SERVICE_RULE || f.ruleId === SCAN_ISTIO_GATEWAY_RULE;
}

function where(f: ReportFinding, input: ReportInput): string {
  if (!f.position) return '';
  // A cluster object has no file and line: its field says where in it.
  if (clusterOf(f, input.summary)) return f.field ? code(f.field) : '';
  const file = repoRelative(f.position.file, input.paths) ?? f.position.file;
  return code(formatPosition({ ...f.position, file }));
}

function objectText(f: ReportFinding): string {
  if (!f.object) return '';
  const o = f.object;
  const rv = o.resourceVersion !== undefined ? ` (resourceVersion ${o.resourceVersion})` : '';
  return mdCell(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`.trim() + rv);
}

const CLUSTER_STATUS: Record<ClusterSummary['status'], string> = { read: 'read', partial: 'partly read', failed: '**not read**' };

export function renderMarkdown(input: ReportInput): string {
  const all = input.findings;
  const isNew = (f: ReportFinding) => !input.newFindings || input.newFindings.has(f);
  const listed = all.filter(isNew);
  const total = countBySeverity(all);
  const objects = all.filter(isInventory);
  const ingresses = objects.filter((f) => f.ruleId === SCAN_INGRESS_RULE).length;
  const s = input.summary;
  const out: string[] = ['## gateway-shift scan', ''];

  const still = [plural(ingresses, 'Ingress', 'Ingresses')];
  if (objects.length > ingresses) still.push(`${objects.length - ingresses} other routing ${objects.length - ingresses === 1 ? 'object' : 'objects'}`);
  const clusters = s.clusters;
  const failed = clusters?.filter((k) => k.status === 'failed') ?? [];
  const source = clusters ? `${plural(clusters.length, 'cluster')}${failed.length ? ` (${failed.length} not read)` : ''}` : plural(s.files, 'file');
  out.push(
    `${still.join(' and ')} still to migrate in ${source} (${plural(s.objects, 'Gateway API object')} when converted): ` +
      `**${plural(total.error, 'error')}**, ${plural(total.warning, 'warning')}, ${total.info} info.` +
      (input.newFindings ? ` **${listed.length} new** since the baseline; ${all.length - listed.length} accepted there and not listed.` : ''),
    '',
  );

  // Per cluster: what was read, and the findings' counts.
  const grouped = clusters ? groupByCluster(listed, clusters) : undefined;
  if (clusters) {
    out.push('| Context | Namespaces | Status | Objects read | Ingresses | Errors | Warnings | Info |' + (input.newFindings ? ' New |' : ''));
    out.push('|---|---|---|--:|--:|--:|--:|--:|' + (input.newFindings ? '--:|' : ''));
    for (const k of clusters) {
      const cells = [code(k.context), mdCell(k.scope), CLUSTER_STATUS[k.status], k.objectsRead, k.ingresses, k.findings.error, k.findings.warning, k.findings.info];
      if (input.newFindings) cells.push(grouped!.groups.get(k.context)!.length);
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
    if (failed.length) out.push(`Not read: ${failed.map((k) => code(k.context)).join(', ')}; the findings of ${failed.length === 1 ? 'that cluster say' : 'those clusters say'} why.`, '');
  }

  // Per controller and severity.
  const controllers = new Map<string, { objects: number; sev: Record<Severity, number>; fresh: number; status: Map<AnnotationStatus, number> }>();
  for (const f of all) {
    const name = controllerName(f.controller);
    let c = controllers.get(name);
    if (!c) controllers.set(name, (c = { objects: 0, sev: { error: 0, warning: 0, info: 0 }, fresh: 0, status: new Map() }));
    c.sev[f.severity]++;
    if (isInventory(f)) c.objects++;
    if (input.newFindings?.has(f)) c.fresh++;
    if (f.status) c.status.set(f.status, (c.status.get(f.status) ?? 0) + 1);
  }
  const order = [...controllers.keys()].sort((a, b) => (a === controllerName(GENERAL) ? 1 : b === controllerName(GENERAL) ? -1 : a < b ? -1 : a > b ? 1 : 0));
  if (order.length > 0) {
    out.push('| Controller | Objects | Errors | Warnings | Info |' + (input.newFindings ? ' New |' : ''));
    out.push('|---|--:|--:|--:|--:|' + (input.newFindings ? '--:|' : ''));
    for (const name of order) {
      const c = controllers.get(name)!;
      out.push(`| ${mdCell(name)} | ${c.objects} | ${c.sev.error} | ${c.sev.warning} | ${c.sev.info} |` + (input.newFindings ? ` ${c.fresh} |` : ''));
    }
    out.push('');
  }

  // What happens to the annotations.
  const withStatus = order.filter((n) => controllers.get(n)!.status.size > 0);
  if (withStatus.length > 0) {
    out.push('### Annotations', '');
    out.push(`| Controller | ${STATUSES.map(([, t]) => t).join(' | ')} |`);
    out.push(`|---|${STATUSES.map(() => '--:').join('|')}|`);
    for (const name of withStatus) {
      const st = controllers.get(name)!.status;
      out.push(`| ${mdCell(name)} | ${STATUSES.map(([k]) => st.get(k) ?? 0).join(' | ')} |`);
    }
    out.push('');
  }

  // Details, most severe first, within the size budget; per cluster when clusters were read.
  const footer = `<sub>gateway-shift ${mdCell(input.toolVersion)}</sub>`;
  let budget = MAX_CHARS - out.join('\n').length - footer.length - 1000;
  const details = (rows: readonly ReportFinding[], level: string, scope: string): void => {
    for (const sev of SEVERITIES) {
      const these = rows.filter((f) => f.severity === sev);
      if (these.length === 0) continue;
      const title = `${TITLES[sev]} (${these.length}${input.newFindings ? ' new' : ''})`;
      const table = [`| ${clusters ? 'Field' : 'Location'} | Object | Rule | Finding |`, '|---|---|---|---|'];
      let shown = 0;
      for (const f of these.slice(0, MAX_ROWS[sev])) {
        const text = mdCell(f.message) + (f.remediation ? `<br>**Fix:** ${mdCell(f.remediation)}` : '');
        const row = `| ${where(f, input)} | ${objectText(f)} | ${code(f.ruleId)} | ${text} |`;
        if (row.length + 1 > budget) break;
        budget -= row.length + 1;
        table.push(row);
        shown++;
      }
      if (shown === 0) table.length = 0;
      if (shown < these.length) table.push(...(shown ? [''] : []), `${these.length - shown} ${shown ? 'more ' : ''}${sev} findings${scope} are in the SARIF and JSON reports.`);
      if (sev === 'info') out.push('<details>', `<summary>${title}</summary>`, '', ...table, '', '</details>', '');
      else out.push(`${level} ${title}`, '', ...table, '');
      budget -= title.length + 200;
    }
  };
  if (grouped && clusters) {
    details(grouped.loose, '###', '');
    for (const k of clusters) {
      const rows = grouped.groups.get(k.context)!;
      if (rows.length === 0) continue;
      const heading = `### Context ${code(k.context)}`;
      out.push(heading, '', `${mdCell(k.server ? `${k.server}, ${k.scope}` : k.scope)}: ${CLUSTER_STATUS[k.status]}.`, '');
      budget -= heading.length + 200;
      details(rows, '####', ` of ${mdText(k.context)}`);
    }
  } else {
    details(listed, '###', '');
  }
  if (listed.length === 0) out.push(input.newFindings ? 'No new findings.' : 'No findings.', '');
  out.push(footer);
  return out.join('\n') + '\n';
}
