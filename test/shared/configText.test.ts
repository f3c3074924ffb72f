import { describe, expect, it } from 'vitest';
import { parseFieldText } from '../../src-shared/configText';

describe('config fields typed as text', () => {
  it('reads decimal numbers, with a sign, a fraction or an exponent', () => {
    for (const [text, value] of [['16', 16], ['0.1', 0.1], ['.5', 0.5], ['1e-3', 0.001], ['2E+2', 200], [' 3 ', 3], ['-1', -1], ['5.', 5]] as const) {
      expect(parseFieldText('learningRate', text), text).toEqual({ value });
    }
    expect(parseFieldText('hidden', '100, 50')).toEqual({ value: [100, 50] });
  });

  it('refuses what Number() would read as something else: hex, binary, octal, Infinity', () => {
    expect(parseFieldText('batchSize', '0x10')).toEqual({ error: "'0x10' is not a decimal number (hexadecimal, binary and octal are not read)" });
    for (const text of ['0b101', '0o17', 'Infinity', '-Infinity', '1_000', '']) {
      expect(parseFieldText('learningRate', text), text).toHaveProperty('error');
    }
    expect(parseFieldText('hidden', '0x10, 8')).toEqual({ error: "'0x10, 8' is not a comma-separated list of decimal numbers" });
  });
});
