/**
 * Command-line wiring. The only module that touches process, streams and exit codes; heavy
 * modules are imported inside the commands so `--version` and `--help` stay fast.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { toolVersion } from './version.js';
import { EXIT_USAGE, UsageError, reportCrash } from './errors.js';
import { SCAN_FORMAT_LIST, parseFormat, type ReportTarget } from './report-targets.js';
import { addClusterOptions } from './cluster-options.js';

const program = new Command();
const version = toolVersion();

program
  .name('gateway-shift')
  .description('Migrate Kubernetes Ingress and Istio networking to Gateway API, reporting everything that cannot be translated.')
  .version(version, '-V, --version')
  .option('--debug', 'show stack traces for internal errors')
  .showHelpAfterError()
  .exitOverride();

function oneOf(name: string, values: readonly string[]) {
  return (v: string): string => {
    if (!values.includes(v)) throw new InvalidArgumentError(`${name} must be one of: ${values.join(', ')}`);
    return v;
  };
}

const convertCommand = program
  .command('convert')
  .description('convert Ingress manifests (files, directories, - for stdin), or the Ingresses of clusters (--from-cluster), to Gateway API YAML on stdout; findings go to stderr')
  .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursively), or - for stdin (the default when stdin is not a terminal)')
  .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
  .addOption(new Option('--report <format>', 'findings report format').choices(['text', 'json']).default('text'))
  .option('--report-file <path>', 'write the findings report to this file instead of stderr')
  .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').choices(['error', 'warning', 'info', 'never']).default('error'))
  .addOption(new Option('--gateway-mode <mode>', 'one Gateway per ingress class (shared), or per namespace and class').choices(['shared', 'per-namespace']).default('shared'))
  .option('--gateway-namespace <namespace>', 'namespace of the shared Gateway (default: the Ingresses\u2019 namespace when they share one, else gateway-system)')
  .option('--gateway-class <name>', 'gatewayClassName of the generated Gateways (default: the ingress class name)')
  .option('--gateway-controller <controllerName>', 'emit a GatewayClass with this controllerName (known classes need no flag)')
  .option('--parent-ref <ns/name[/section]>', 'attach routes to this existing Gateway and emit no Gateway')
  .option('--providers <ids>', 'comma-separated providers to use (ingress-nginx, traefik); one id forces it for every Ingress')
  .addOption(new Option('--channel <channel>', 'Gateway API release channel the output may use').choices(['standard', 'experimental']).default('standard'))
  .addOption(
    new Option('--target <implementation>', 'also generate this implementation\u2019s policy objects for what standard Gateway API cannot express')
      .choices(['standard', 'envoy-gateway', 'aws-lbc'])
      .default('standard'),
  )
  .option(
    '--traefik-entrypoint <name=PROTOCOL:PORT[:redirect=EP]>',
    'a Traefik entry point and the listener it stands for (PROTOCOL HTTP or HTTPS, HTTPS = TLS on the entry point; redirect=EP when it redirects every request to the HTTPS entry point EP); repeatable, replaces the default web=HTTP:80 and websecure=HTTPS:443',
    (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
  )
  .option('--no-color', 'plain text report')
  .action(async (paths: string[] | undefined, options: Record<string, unknown>) => {
    const { runConvert } = await import('./convert-command.js');
    process.exitCode = await runConvert(paths ?? [], options, { version });
  });

addClusterOptions(convertCommand, 'the context\u2019s namespace, as kubectl');

// convert: writing files instead of stdout (kept apart from the translation options above).
convertCommand
  .option('--output-dir <dir>', 'write the objects to files under this folder instead of stdout (see --layout; with --from-cluster, a folder per context); only files gateway-shift wrote are replaced')
  .addOption(new Option('--layout <layout>', 'with --output-dir: mirror (each input file\u2019s objects at the same relative path, shared objects in gateway-shift-shared.yaml), namespace (<namespace>/<kind>.yaml) or kind (<kind>/<namespace>.yaml); default mirror').choices(['mirror', 'namespace', 'kind']))
  .option('--in-place', 'add the objects to the input files, after the Ingresses they came from, leaving every other byte of each file as it was; shared objects go to gateway-shift-shared.yaml beside the first path')
  .option('--remove-source', 'with --in-place: also remove the converted Ingress documents (those without error findings)')
  .option('--force', 'with --output-dir or --in-place: also replace files gateway-shift did not write');

// scan takes convert's translation options (the same Option objects, so new choices reach both),
// since they decide what translates; its reports are --format (repeatable) with --output-file.
const TRANSLATION_OPTIONS = ['--gateway-mode', '--gateway-namespace', '--gateway-class', '--gateway-controller', '--parent-ref', '--providers', '--channel', '--target'];
const reports: ReportTarget[] = [];
const scan = program
  .command('scan')
  .description('report which Ingress and VirtualService objects are still there (in files, or in clusters with --from-cluster) and which annotations and fields translate, partly translate, need an implementation policy or cannot be translated; prints no Gateway API objects')
  .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursively), or - for stdin (the default when stdin is not a terminal)')
  .option('--format <format[=path]>', `report format: ${SCAN_FORMAT_LIST}; repeatable, each followed by its --output-file (or written as format=path); default text on stdout`, (v: string) => {
    reports.push(parseFormat(v));
    return reports;
  })
  .option('--output-file <path>', 'write the report of the preceding --format to this file (atomically) instead of stdout', (v: string) => {
    const last = reports[reports.length - 1];
    if (!last) throw new InvalidArgumentError('--output-file must follow the --format it is for');
    if (last.file !== undefined) throw new InvalidArgumentError(`the ${last.format} report already goes to ${last.file}; give --format again before another --output-file`);
    last.file = v;
    return reports;
  })
  .addOption(new Option('--fail-on <severity>', 'exit 1 when a (new) finding at or above this severity exists').choices(['error', 'warning', 'info', 'never']).default('error'))
  .option('--baseline <file>', 'a JSON report of accepted findings (written earlier with --format json=FILE); only findings beyond it are new and count for --fail-on')
  .option('--repo-root <dir>', 'directory SARIF file locations are relative to (default: the git work tree holding the current directory, else the current directory)');
for (const opt of convertCommand.options) {
  if (opt.long && TRANSLATION_OPTIONS.includes(opt.long)) scan.addOption(opt);
}
// scan reads the whole cluster unless told otherwise: what is left to migrate is everywhere.
addClusterOptions(scan, 'all namespaces');
scan.option('--no-color', 'plain text report').action(async (paths: string[] | undefined, options: Record<string, unknown>) => {
  const { runScan } = await import('./scan-command.js');
  process.exitCode = await runScan(paths ?? [], { ...options, reports }, { version });
});

program
  .command('verify')
  .description('convert as `convert` does, then prove request by request that the Gateway API output routes like the source controller did; differences go to stdout')
  .argument('[paths...]', 'files or directories with the source manifests (.yaml, .yml, .json, recursively), or - for stdin')
  .option('--gateway-api <paths...>', 'check these Gateway API objects (a hand-edited output) instead of the conversion\u2019s')
  .addOption(new Option('--regex-precedence <implementation>', 'how RegularExpression path matches rank (implementation-specific in Gateway API)').choices(['envoy-gateway', 'istio']).default('envoy-gateway'))
  .addOption(new Option('--report <format>', 'report format').choices(['text', 'json']).default('text'))
  .option('--report-file <path>', 'write the report to this file instead of stdout')
  .addOption(new Option('--gateway-mode <mode>', 'as for convert').choices(['shared', 'per-namespace']).default('shared'))
  .option('--gateway-namespace <namespace>', 'as for convert')
  .option('--gateway-class <name>', 'as for convert')
  .option('--gateway-controller <controllerName>', 'as for convert')
  .option('--parent-ref <ns/name[/section]>', 'as for convert')
  .option('--providers <ids>', 'as for convert')
  .addOption(new Option('--channel <channel>', 'as for convert').choices(['standard', 'experimental']).default('standard'))
  .addOption(new Option('--target <implementation>', 'as for convert').choices(['standard', 'envoy-gateway']).default('standard'))
  .option('--no-color', 'plain text report')
  .action(async (paths: string[] | undefined, options: Record<string, unknown>) => {
    const { runVerify } = await import('./verify-command.js');
    process.exitCode = await runVerify(paths ?? [], options, { version });
  });

program
  .command('rules')
  .description('print the annotation rule table')
  .option('--provider <id>', 'only this provider')
  .addOption(new Option('-o, --output <format>', 'table, json or markdown').choices(['table', 'json', 'markdown']).default('table'))
  .action(async (options: { provider?: string; output: string }) => {
    const { runRules } = await import('./rules-command.js');
    process.exitCode = runRules(options);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      // Help and version exit 0; usage errors were already printed by commander.
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : EXIT_USAGE;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`gateway-shift: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.exitCode = reportCrash(err, program.opts().debug === true || process.argv.includes('--debug'));
  }
}

void main();
