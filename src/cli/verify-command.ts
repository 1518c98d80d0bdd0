/**
 * `gateway-shift verify`: convert as `convert` does (or take hand-edited Gateway API objects
 * with --gateway-api), send the probes through both routing models, print the differences on
 * stdout. Exit 1 when a difference is not explained by a finding.
 */
import chalk from 'chalk';
import type { KubeObject } from '../inputs/document.js';
import { readInputs } from '../inputs/read.js';
import { normalizeFindings, type Finding } from '../findings/finding.js';
import { PLAIN, type Style } from '../reporters/types.js';
import { VERIFY_REPORTERS } from '../reporters/verify.js';
import { createValidator } from '../validate/validator.js';
import { verify } from '../verify/verify.js';
import { buildConvertOptions, writeFileAtomic, type ConvertCliOptions } from './convert-command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { loadSchemas } from './load-schemas.js';
import { renderText } from '../reporters/text.js';

export interface VerifyCliOptions extends ConvertCliOptions {
  gatewayApi?: string[];
  regexPrecedence?: string;
}

function readStdin(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

export async function runVerify(paths: string[], o: VerifyCliOptions, env: { version: string }): Promise<number> {
  const opts = buildConvertOptions(o, env.version);
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: give files or directories, or - to read stdin');
    paths = ['-'];
  }
  if (o.gatewayApi?.includes('-') && paths.includes('-')) throw new UsageError('stdin can hold the sources or the --gateway-api objects, not both');
  const input = await readInputs(paths, { cwd: process.cwd(), stdin: readStdin });
  const unreadable = (findings: readonly Finding[]) => normalizeFindings(findings).filter((f) => f.ruleId.startsWith('input/') && f.severity === 'error');
  let gatewayApi: KubeObject[] | undefined;
  let files = input.files.length;
  if (o.gatewayApi?.length) {
    const gw = await readInputs(o.gatewayApi, { cwd: process.cwd(), stdin: readStdin });
    files += gw.files.length;
    // Gateway API objects that could not be read: comparing without them would report their
    // routes as differences, so stop.
    const broken = unreadable(gw.findings);
    if (broken.length) {
      process.stderr.write(renderText({ toolVersion: env.version, findings: broken, summary: { ingresses: 0, objects: 0, files } }, PLAIN));
      return EXIT_USAGE;
    }
    gatewayApi = gw.documents.map((d) => d.object);
  }
  // Source documents that could not be read or parsed are reported and skipped, as convert
  // does; the rest is verified, and the exit code says an input was bad.
  const broken = unreadable(input.findings);
  if (broken.length) process.stderr.write(renderText({ toolVersion: env.version, findings: broken, summary: { ingresses: 0, objects: 0, files } }, PLAIN));
  const validator = createValidator(loadSchemas(), (o.channel ?? 'standard') as 'standard' | 'experimental');
  const result = verify(
    input.documents,
    { convert: opts, ...(gatewayApi ? { gatewayApi } : {}), regexPrecedence: o.regexPrecedence === 'istio' ? 'istio' : 'envoy-gateway' },
    validator,
  );
  const useColor = o.color !== false && !o.reportFile && process.stdout.isTTY === true;
  const style: Style = useColor ? { error: chalk.red, warning: chalk.yellow, info: chalk.cyan, dim: chalk.dim, bold: chalk.bold } : PLAIN;
  const report = VERIFY_REPORTERS[o.report ?? 'text']!({ toolVersion: env.version, files, result }, style);
  if (o.reportFile) writeFileAtomic(o.reportFile, report);
  else process.stdout.write(report);
  if (broken.length) return EXIT_USAGE;
  return result.stats.unexplained > 0 ? EXIT_FINDINGS : EXIT_OK;
}
