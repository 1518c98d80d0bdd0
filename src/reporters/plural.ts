/** `1 Ingress`, `2 Ingresses`: a count with its noun, for the reports. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
