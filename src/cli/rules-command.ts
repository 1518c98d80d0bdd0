/** `gateway-shift rules`: the annotation and field rule tables. */
import { PROVIDERS, RESOURCE_PROVIDERS } from '../providers/registry.js';
import { EXIT_OK, UsageError } from './errors.js';
import { renderRules } from '../reporters/rules.js';

export function runRules(o: { provider?: string; output: string }): number {
  const all = [...PROVIDERS, ...RESOURCE_PROVIDERS];
  const providers = o.provider ? all.filter((p) => p.id === o.provider) : all;
  if (providers.length === 0) throw new UsageError(`--provider: unknown provider ${o.provider}; known: ${all.map((p) => p.id).join(', ')}`);
  process.stdout.write(renderRules(providers, o.output as 'table' | 'json' | 'markdown'));
  return EXIT_OK;
}
