/** Machine-readable findings, following schemas/report.schema.json. */
import { countBySeverity } from '../findings/finding.js';
import type { ReportInput } from './types.js';

export const REPORT_FORMAT_VERSION = 1;

export function buildJsonReport(input: ReportInput): Record<string, unknown> {
  return {
    reportVersion: REPORT_FORMAT_VERSION,
    tool: { name: 'gateway-shift', version: input.toolVersion },
    summary: { ...input.summary, findings: countBySeverity(input.findings) },
    findings: input.findings.map((f) => {
      const o: Record<string, unknown> = { ruleId: f.ruleId, severity: f.severity, message: f.message };
      if (f.remediation) o.remediation = f.remediation;
      if (f.object) o.object = f.object;
      if (f.field) o.field = f.field;
      if (f.position) o.position = f.position;
      if (f.status) o.status = f.status;
      return o;
    }),
  };
}

export function renderJson(input: ReportInput): string {
  return JSON.stringify(buildJsonReport(input), null, 2) + '\n';
}
