/**
 * Command-line wiring. The only module that touches process, streams and exit codes; heavy
 * modules are imported inside the commands so `--version` and `--help` stay fast.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { toolVersion } from './version.js';
import { EXIT_USAGE, UsageError, reportCrash } from './errors.js';
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
  .option('--providers <ids>', 'comma-separated providers to use (see `gateway-shift rules`); one id forces it for every Ingress')
  .addOption(new Option('--channel <channel>', 'Gateway API release channel the output may use').choices(['standard', 'experimental']).default('standard'))
  .addOption(
    new Option('--target <implementation>', 'also generate this implementation\u2019s policy objects for what standard Gateway API cannot express')
      .choices(['standard', 'envoy-gateway'])
      .default('standard'),
  )
  .option('--no-color', 'plain text report');
addClusterOptions(convertCommand, 'the context\u2019s namespace, as kubectl')
  .option('--output-dir <dir>', 'with --from-cluster: write each context\u2019s objects to DIR/<context>/gateway-api.yaml (or .json) instead of stdout')
  .action(async (paths: string[] | undefined, options: Record<string, unknown>) => {
    const { runConvert } = await import('./convert-command.js');
    process.exitCode = await runConvert(paths ?? [], options, { version });
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
