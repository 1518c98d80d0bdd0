/** `gateway-shift convert`: read, convert, print objects on stdout and findings on stderr. */
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import chalk from 'chalk';
import { toYaml } from '../writers/yaml.js';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../ir/k8s-names.js';
import { convert, type ConvertOptions, type GatewayMode } from '../convert.js';
import { normalizeFindings, severityRank, type Finding, type Severity } from '../findings/finding.js';
import type { KubeObject } from '../inputs/document.js';
import { readInputs } from '../inputs/read.js';
import { PROVIDERS } from '../providers/registry.js';
import { parseEntryPoints } from '../providers/traefik/entrypoints.js';
import { REPORTERS } from '../reporters/index.js';
import { PLAIN, type Style } from '../reporters/types.js';
import { createValidator } from '../validate/validator.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { loadSchemas } from './load-schemas.js';

export interface ConvertCliOptions {
  output?: string;
  report?: string;
  reportFile?: string;
  failOn?: string;
  gatewayMode?: string;
  gatewayNamespace?: string;
  gatewayClass?: string;
  gatewayController?: string;
  parentRef?: string;
  providers?: string;
  channel?: string;
  target?: string;
  /** --traefik-entrypoint, repeatable (a string in options.json files is one definition list). */
  traefikEntrypoint?: string[] | string;
  color?: boolean;
}


export function parseParentRef(v: string): NonNullable<ConvertOptions['parentRef']> {
  const parts = v.split('/');
  if (parts.length < 2 || parts.length > 3 || !DNS_LABEL.test(parts[0]!) || !DNS_SUBDOMAIN.test(parts[1]!) || (parts[2] !== undefined && !DNS_SUBDOMAIN.test(parts[2]))) {
    throw new UsageError(`--parent-ref "${v}" must be namespace/name or namespace/name/section (lowercase DNS names)`);
  }
  const ref: NonNullable<ConvertOptions['parentRef']> = { namespace: parts[0]!, name: parts[1]! };
  if (parts[2]) ref.sectionName = parts[2];
  return ref;
}

export function buildConvertOptions(o: ConvertCliOptions, version: string): ConvertOptions {
  const opts: ConvertOptions = { toolVersion: version, gatewayMode: (o.gatewayMode ?? 'shared') as GatewayMode, channel: o.channel === 'experimental' ? 'experimental' : 'standard' };
  if (o.target === 'envoy-gateway') opts.target = 'envoy-gateway';
  if (o.gatewayNamespace !== undefined) {
    if (!DNS_LABEL.test(o.gatewayNamespace)) throw new UsageError(`--gateway-namespace "${o.gatewayNamespace}" is not a valid namespace name`);
    opts.gatewayNamespace = o.gatewayNamespace;
  }
  if (o.gatewayClass !== undefined) {
    if (!DNS_SUBDOMAIN.test(o.gatewayClass)) throw new UsageError(`--gateway-class "${o.gatewayClass}" is not a valid name`);
    opts.gatewayClass = o.gatewayClass;
  }
  if (o.gatewayController !== undefined) {
    if (!o.gatewayClass) throw new UsageError('--gateway-controller needs --gateway-class');
    const [domain = '', ...rest] = o.gatewayController.split('/');
    if (!DNS_SUBDOMAIN.test(domain) || !/^[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$/.test(rest.join('/'))) {
      throw new UsageError(`--gateway-controller "${o.gatewayController}" must look like domain/path`);
    }
    opts.gatewayController = o.gatewayController;
  }
  if (o.parentRef !== undefined) {
    if (o.gatewayMode === 'per-namespace') throw new UsageError('--parent-ref and --gateway-mode per-namespace cannot be combined');
    opts.parentRef = parseParentRef(o.parentRef);
  }
  if (o.providers !== undefined) {
    const ids = o.providers.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !PROVIDERS.some((p) => p.id === id));
    if (unknown.length || ids.length === 0) {
      throw new UsageError(`--providers: unknown provider ${unknown.join(', ') || '(none given)'}; known: ${PROVIDERS.map((p) => p.id).join(', ')}`);
    }
    opts.providers = ids;
  }
  if (o.traefikEntrypoint !== undefined) {
    try {
      const eps = parseEntryPoints(typeof o.traefikEntrypoint === 'string' ? [o.traefikEntrypoint] : o.traefikEntrypoint);
      if (eps.length) opts.providerOptions = { traefikEntryPoints: eps };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return opts;
}

export function serializeObjects(objects: readonly KubeObject[], format: string): string {
  if (format === 'json') return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2) + '\n';
  return objects.map(toYaml).join('---\n');
}

/** Writes a whole file or nothing: a temporary file beside it, then a rename. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function exitCodeFor(findings: readonly Finding[], failOn: string): number {
  if (findings.some((f) => f.ruleId.startsWith('input/') && f.severity === 'error')) return EXIT_USAGE;
  if (failOn === 'never') return EXIT_OK;
  const threshold = severityRank(failOn as Severity);
  return findings.some((f) => severityRank(f.severity) >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}

function readStdin(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

export async function runConvert(paths: string[], o: ConvertCliOptions, env: { version: string }): Promise<number> {
  const opts = buildConvertOptions(o, env.version);
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: give files or directories, or - to read stdin');
    paths = ['-'];
  }
  const input = await readInputs(paths, { cwd: process.cwd(), stdin: readStdin });
  const validator = createValidator(loadSchemas(), (o.channel ?? 'standard') as 'standard' | 'experimental');
  const result = convert(input.documents, opts, validator);
  const all = normalizeFindings([...input.findings, ...result.findings]);

  const out = serializeObjects(result.objects, o.output ?? 'yaml');
  if (out) process.stdout.write(out);

  const useColor = o.color !== false && !o.reportFile && process.stderr.isTTY === true;
  const style: Style = useColor
    ? { error: chalk.red, warning: chalk.yellow, info: chalk.cyan, dim: chalk.dim, bold: chalk.bold }
    : PLAIN;
  const reporter = REPORTERS[o.report ?? 'text']!;
  const report = reporter(
    { toolVersion: env.version, findings: all, summary: { ingresses: result.stats.ingresses, objects: result.objects.length, files: input.files.length } },
    style,
  );
  if (o.reportFile) writeFileAtomic(o.reportFile, report);
  else process.stderr.write(report);
  return exitCodeFor(all, o.failOn ?? 'error');
}
