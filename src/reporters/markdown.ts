/**
 * Markdown for a pull-request comment: a summary per controller and per severity, what happens
 * to the annotations, then the findings (new ones only, with a baseline). Kept well under
 * GitHub's 65,536-character comment limit by listing at most a fixed number of rows per
 * severity; the SARIF and JSON reports hold everything.
 */
import { countBySeverity, type Severity } from '../findings/finding.js';
import { repoRelative } from './paths.js';
import { GENERAL, SCAN_INGRESS_RULE, SCAN_ISTIO_GATEWAY_RULE, SCAN_VIRTUAL_SERVICE_RULE } from './scan.js';
import type { AnnotationStatus, ReportFinding, ReportInput } from './types.js';

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

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function controllerName(c: string | undefined): string {
  return !c || c === GENERAL ? 'Inputs and topology' : c;
}

function isInventory(f: ReportFinding): boolean {
  return f.ruleId === SCAN_INGRESS_RULE || f.ruleId === SCAN_VIRTUAL_SERVICE_RULE || f.ruleId === SCAN_ISTIO_GATEWAY_RULE;
}

function where(f: ReportFinding, paths: ReportInput['paths']): string {
  if (!f.position) return '';
  const file = repoRelative(f.position.file, paths) ?? f.position.file;
  return code(`${file}:${f.position.line}:${f.position.column}`);
}

function objectText(f: ReportFinding): string {
  if (!f.object) return '';
  const o = f.object;
  return mdCell(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`.trim());
}

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
  out.push(
    `${still.join(' and ')} still to migrate in ${plural(s.files, 'file')} (${plural(s.objects, 'Gateway API object')} when converted): ` +
      `**${plural(total.error, 'error')}**, ${plural(total.warning, 'warning')}, ${total.info} info.` +
      (input.newFindings ? ` **${listed.length} new** since the baseline; ${all.length - listed.length} accepted there and not listed.` : ''),
    '',
  );

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

  // Details, most severe first, within the size budget.
  const footer = `<sub>gateway-shift ${mdCell(input.toolVersion)}</sub>`;
  let budget = MAX_CHARS - out.join('\n').length - footer.length - 1000;
  for (const sev of SEVERITIES) {
    const rows = listed.filter((f) => f.severity === sev);
    if (rows.length === 0) continue;
    const title = `${TITLES[sev]} (${rows.length}${input.newFindings ? ' new' : ''})`;
    const table = ['| Location | Object | Rule | Finding |', '|---|---|---|---|'];
    let shown = 0;
    for (const f of rows.slice(0, MAX_ROWS[sev])) {
      const text = mdCell(f.message) + (f.remediation ? `<br>**Fix:** ${mdCell(f.remediation)}` : '');
      const row = `| ${where(f, input.paths)} | ${objectText(f)} | ${code(f.ruleId)} | ${text} |`;
      if (row.length + 1 > budget) break;
      budget -= row.length + 1;
      table.push(row);
      shown++;
    }
    if (shown === 0) table.length = 0;
    if (shown < rows.length) table.push(...(shown ? [''] : []), `${rows.length - shown} ${shown ? 'more ' : ''}${sev} findings are in the SARIF and JSON reports.`);
    if (sev === 'info') out.push('<details>', `<summary>${title}</summary>`, '', ...table, '', '</details>', '');
    else out.push(`### ${title}`, '', ...table, '');
    budget -= title.length + 200;
  }
  if (listed.length === 0) out.push(input.newFindings ? 'No new findings.' : 'No findings.', '');
  out.push(footer);
  return out.join('\n') + '\n';
}
