import { compareFindings, normalizeFindings, type Finding } from '../src/findings/finding.js';

describe('findings', () => {
  it('sorts by position then rule id and removes exact duplicates', () => {
    const a: Finding = { ruleId: 'b', severity: 'info', message: 'm', position: { file: 'x.yaml', line: 2, column: 1 } };
    const b: Finding = { ruleId: 'a', severity: 'info', message: 'm', position: { file: 'x.yaml', line: 2, column: 1 } };
    const c: Finding = { ruleId: 'a', severity: 'info', message: 'm', position: { file: 'a.yaml', line: 9, column: 1 } };
    expect(normalizeFindings([a, b, c, a]).map((f) => f.ruleId + f.position?.file)).toEqual(['aa.yaml', 'ax.yaml', 'bx.yaml']);
    expect(compareFindings(a, a)).toBe(0);
  });
});
