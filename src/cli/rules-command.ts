/** `gateway-shift rules`: the annotation rule tables. */
import { PROVIDERS } from '../providers/registry.js';
import { EXIT_OK, UsageError } from './errors.js';
import { renderRules } from '../reporters/rules.js';

export function runRules(o: { provider?: string; output: string }): number {
  const providers = o.provider ? PROVIDERS.filter((p) => p.id === o.provider) : [...PROVIDERS];
  if (providers.length === 0) throw new UsageError(`--provider: unknown provider ${o.provider}; known: ${PROVIDERS.map((p) => p.id).join(', ')}`);
  process.stdout.write(renderRules(providers, o.output as 'table' | 'json' | 'markdown'));
  return EXIT_OK;
}
