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
import { REPORTERS } from '../reporters/index.js';
import { PLAIN, type Style } from '../reporters/types.js';
import { createValidator } from '../validate/validator.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { loadSchemas } from './load-schemas.js';
import { clusterOnlyOptions, type ClusterCliOptions } from './cluster-options.js';

export interface ConvertCliOptions extends ClusterCliOptions {
  outputDir?: string;
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
  // An input that could not be read: a file, or (part of) a cluster.
  if (findings.some((f) => (f.ruleId.startsWith('input/') || f.ruleId.startsWith('cluster/')) && f.severity === 'error')) return EXIT_USAGE;
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

function reportStyle(o: ConvertCliOptions): Style {
  const useColor = o.color !== false && !o.reportFile && process.stderr.isTTY === true;
  return useColor ? { error: chalk.red, warning: chalk.yellow, info: chalk.cyan, dim: chalk.dim, bold: chalk.bold } : PLAIN;
}

export async function runConvert(paths: string[], o: ConvertCliOptions, env: { version: string }): Promise<number> {
  const opts = buildConvertOptions(o, env.version);
  if (o.fromCluster) {
    if (paths.length > 0) throw new UsageError(`--from-cluster reads no files (got ${paths.join(' ')})`);
    return runConvertFromCluster(o, opts, env);
  }
  const clusterOnly = [...clusterOnlyOptions(o), ...(o.outputDir !== undefined ? ['--output-dir'] : [])];
  if (clusterOnly.length) throw new UsageError(`${clusterOnly.join(', ')} need${clusterOnly.length === 1 ? 's' : ''} --from-cluster`);
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

  const reporter = REPORTERS[o.report ?? 'text']!;
  const report = reporter(
    { toolVersion: env.version, findings: all, summary: { ingresses: result.stats.ingresses, objects: result.objects.length, files: input.files.length } },
    reportStyle(o),
  );
  if (o.reportFile) writeFileAtomic(o.reportFile, report);
  else process.stderr.write(report);
  return exitCodeFor(all, o.failOn ?? 'error');
}

async function runConvertFromCluster(o: ConvertCliOptions, opts: ConvertOptions, env: { version: string }): Promise<number> {
  const { convertClusters, writeClusterOutputs, clusterStdout } = await import('./convert-cluster.js');
  let validator: ReturnType<typeof createValidator> | undefined;
  const format = o.output ?? 'yaml';
  const run = await convertClusters(o, opts, () => (validator ??= createValidator(loadSchemas(), (o.channel ?? 'standard') as 'standard' | 'experimental')), env);
  if (o.outputDir !== undefined) writeClusterOutputs(run, o.outputDir, format, serializeObjects, writeFileAtomic);
  else {
    const out = clusterStdout(run, format, serializeObjects);
    if (out) process.stdout.write(out);
  }
  const summary = {
    ingresses: run.conversions.reduce((n, c) => n + c.ingresses, 0),
    objects: run.conversions.reduce((n, c) => n + c.objects.length, 0),
    files: 0,
    clusters: run.clusters,
  };
  const report = REPORTERS[o.report ?? 'text']!({ toolVersion: env.version, findings: run.findings, summary }, reportStyle(o));
  if (o.reportFile) writeFileAtomic(o.reportFile, report);
  else process.stderr.write(report);
  return exitCodeFor(run.findings, o.failOn ?? 'error');
}
