/**
 * `scan --format FORMAT[=PATH]` and `--output-file PATH`: which reports to write where. Light
 * (no conversion code), as main.ts parses these options before any command runs.
 */
import { resolve } from 'node:path';
import { UsageError } from './errors.js';

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export const SCAN_FORMAT_LIST = SCAN_FORMATS.join(', ');

/** One report to write: a format, and a file (none: stdout). */
export interface ReportTarget {
  format: ScanFormat;
  file?: string;
}

/** Parses `--format FORMAT` or `--format FORMAT=PATH`. */
export function parseFormat(v: string): ReportTarget {
  const eq = v.indexOf('=');
  const format = eq < 0 ? v : v.slice(0, eq);
  if (!(SCAN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of: ${SCAN_FORMAT_LIST} (optionally =PATH), not "${v}"`);
  const t: ReportTarget = { format: format as ScanFormat };
  if (eq >= 0) {
    const file = v.slice(eq + 1);
    if (!file) throw new UsageError(`--format ${format}=: the path after = is empty`);
    t.file = file;
  }
  return t;
}

/** The reports to write: the given ones, or text on stdout; at most one may use stdout. */
export function reportTargets(given: readonly ReportTarget[] | undefined, cwd: string): ReportTarget[] {
  const targets = given && given.length ? [...given] : [{ format: 'text' as const }];
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`only one report can go to stdout, but ${toStdout.map((t) => t.format).join(' and ')} have no --output-file`);
  }
  const files = targets.filter((t) => t.file !== undefined).map((t) => resolve(cwd, t.file!));
  const dup = files.find((f, i) => files.indexOf(f) !== i);
  if (dup) throw new UsageError(`two reports would be written to ${dup}`);
  return targets;
}
