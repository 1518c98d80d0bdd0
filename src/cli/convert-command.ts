/** `gateway-shift convert`: read, convert, print objects on stdout and findings on stderr. */
import { isAbsolute, relative, resolve } from 'node:path';
import chalk from 'chalk';
import { toYaml } from '../writers/yaml.js';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../ir/k8s-names.js';
import { convert, type ConvertOptions, type GatewayMode } from '../convert.js';
import { normalizeFindings, severityRank, type Finding, type Severity } from '../findings/finding.js';
import type { KubeObject } from '../inputs/document.js';
import { readInputs } from '../inputs/read.js';
import type { Layout } from '../writers/output-tree.js';
import { PROVIDERS, RESOURCE_PROVIDERS } from '../providers/registry.js';
import { parseEntryPoints } from '../providers/traefik/entrypoints.js';
import { REPORTERS } from '../reporters/index.js';
import { PLAIN, type Style } from '../reporters/types.js';
import { createValidator } from '../validate/validator.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { loadSchemas } from './load-schemas.js';
import { withoutFiles, writeFileAtomic } from './output-files.js';

export { writeFileAtomic };
import { clusterOnlyOptions, type ClusterCliOptions } from './cluster-options.js';

export interface ConvertCliOptions extends ClusterCliOptions {
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
  outputDir?: string;
  layout?: string;
  force?: boolean;
  inPlace?: boolean;
  removeSource?: boolean;
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
  if (o.target === 'envoy-gateway' || o.target === 'aws-lbc') opts.target = o.target;
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
    const known = [...PROVIDERS, ...RESOURCE_PROVIDERS].map((p) => p.id);
    const unknown = ids.filter((id) => !known.includes(id));
    if (unknown.length || ids.length === 0) {
      throw new UsageError(`--providers: unknown provider ${unknown.join(', ') || '(none given)'}; known: ${known.join(', ')}`);
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

export function exitCodeFor(findings: readonly Finding[], failOn: string): number {
  // An input that could not be read: a file, or (part of) a cluster.
  if (findings.some((f) => (f.ruleId.startsWith('input/') || f.ruleId.startsWith('cluster/')) && f.severity === 'error')) return EXIT_USAGE;
  if (failOn === 'never') return EXIT_OK;
  const threshold = severityRank(failOn as Severity);
  return findings.some((f) => severityRank(f.severity) >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}

export function readStdin(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

/** Checks the options that write files instead of stdout (--output-dir, --in-place). */
export function checkFileOptions(o: ConvertCliOptions): void {
  if (o.layout !== undefined && o.outputDir === undefined) throw new UsageError('--layout needs --output-dir');
  if (o.outputDir !== undefined && o.inPlace) throw new UsageError('--output-dir and --in-place cannot be combined');
  if (o.removeSource && !o.inPlace) throw new UsageError('--remove-source needs --in-place');
  if (o.force && o.outputDir === undefined && !o.inPlace) throw new UsageError('--force needs --output-dir or --in-place');
  if ((o.outputDir !== undefined || o.inPlace) && o.output === 'json') throw new UsageError(`${o.inPlace ? '--in-place' : '--output-dir'} writes YAML; -o json cannot be combined with it`);
}

function reportStyle(o: ConvertCliOptions): Style {
  const useColor = o.color !== false && !o.reportFile && process.stderr.isTTY === true;
  return useColor ? { error: chalk.red, warning: chalk.yellow, info: chalk.cyan, dim: chalk.dim, bold: chalk.bold } : PLAIN;
}

export async function runConvert(paths: string[], o: ConvertCliOptions, env: { version: string }): Promise<number> {
  const opts = buildConvertOptions(o, env.version);
  if (o.fromCluster) {
    if (o.inPlace) throw new UsageError('--in-place edits files; it cannot be combined with --from-cluster');
    if (paths.length > 0) throw new UsageError(`--from-cluster reads no files (got ${paths.join(' ')})`);
    return runConvertFromCluster(o, opts, env);
  }
  const clusterOnly = clusterOnlyOptions(o);
  if (clusterOnly.length) throw new UsageError(`${clusterOnly.join(', ')} need${clusterOnly.length === 1 ? 's' : ''} --from-cluster`);
  checkFileOptions(o);
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: give files or directories, or - to read stdin');
    paths = ['-'];
  }
  const cwd = process.cwd();
  if (o.outputDir !== undefined) {
    const outDir = resolve(cwd, o.outputDir);
    const held = paths.find((p) => p !== '-' && (resolve(cwd, p) === outDir || isInside(outDir, resolve(cwd, p))));
    if (held !== undefined) throw new UsageError(`--output-dir ${o.outputDir} holds the input ${held}; write the output elsewhere (or use --in-place)`);
  }
  let sharedFile: string | undefined;
  if (o.inPlace) {
    if (paths.includes('-')) throw new UsageError('--in-place edits files; it cannot read stdin');
    const { sharedFileFor, gitWarning } = await import('./in-place.js');
    sharedFile = sharedFileFor(paths, cwd);
    const warning = gitWarning(paths, cwd);
    if (warning) process.stderr.write(warning);
  }
  let input = await readInputs(paths, { cwd, stdin: readStdin });
  if (sharedFile !== undefined) {
    // The shared file of an earlier run is output, not input.
    const shared = sharedFile;
    input = withoutFiles(input, (name) => resolve(cwd, name) === shared);
  }
  if (o.outputDir !== undefined) {
    // What an earlier run wrote into the output folder is not input, even inside a scanned folder.
    const outDir = resolve(cwd, o.outputDir);
    input = withoutFiles(input, (name) => isInside(outDir, resolve(cwd, name)));
  }
  const validator = createValidator(loadSchemas(), (o.channel ?? 'standard') as 'standard' | 'experimental');
  const result = convert(input.documents, opts, validator);
  const all = normalizeFindings([...input.findings, ...result.findings]);

  let written: { code: number; text: string } | undefined;
  if (o.outputDir !== undefined) {
    const { writeOutputDir } = await import('./output-dir.js');
    written = writeOutputDir(o.outputDir, (o.layout ?? 'mirror') as Layout, paths, input, result, { force: o.force === true, cwd });
  } else if (o.inPlace) {
    const { writeInPlace } = await import('./in-place.js');
    written = sharedFile
      ? writeInPlace(paths, input, result, all, { force: o.force === true, removeSource: o.removeSource === true, cwd, sharedFile })
      : { code: EXIT_USAGE, text: 'gateway-shift: --in-place: none of the paths could be read; nothing was written\n' };
  } else {
    const out = serializeObjects(result.objects, o.output ?? 'yaml');
    if (out) process.stdout.write(out);
  }

  const reporter = REPORTERS[o.report ?? 'text']!;
  const report = reporter(
    { toolVersion: env.version, findings: all, summary: { ingresses: result.stats.ingresses, ...(result.resources.length ? { resources: result.resources.length } : {}), objects: result.objects.length, files: input.files.length } },
    reportStyle(o),
  );
  if (o.reportFile) writeFileAtomic(o.reportFile, report);
  else process.stderr.write(report);
  if (written) {
    process.stderr.write(written.text);
    if (written.code !== EXIT_OK) return written.code;
  }
  return exitCodeFor(all, o.failOn ?? 'error');
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
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
