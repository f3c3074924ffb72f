import { describe, expect, it } from 'vitest';
import { configSearchText } from '../../src-shared/configSummary';
import { parseTrainConfig } from '../../src-shared/config';
import { containsText, matchesText, parseRunSearch, type SearchTerm, type TextTerm } from '../../src-shared/runSearch';

const terms = (text: string): SearchTerm[] => {
  const parsed = parseRunSearch(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.terms;
};
const error = (text: string): string => {
  const parsed = parseRunSearch(text);
  if (!('error' in parsed)) throw new Error(`'${text}' was accepted`);
  return parsed.error;
};
const text = (t: string, negate = false): TextTerm => ({ kind: 'text', text: t, negate });

describe('History search: field:value terms', () => {
  it('reads the example of the issue, every field by its own type', () => {
    expect(terms('lr:0.1 optimizer:adam status:finished tag:baseline exp:7')).toEqual([
      { kind: 'field', field: 'learningRate', op: '=', value: 0.1, negate: false },
      { kind: 'field', field: 'optimizer', op: '=', value: 'adam', negate: false },
      { kind: 'field', field: 'status', op: '=', value: 'finished', negate: false },
      { kind: 'field', field: 'tag', op: '=', value: 'baseline', negate: false },
      { kind: 'field', field: 'experiment', op: '=', value: 7, negate: false },
    ]);
  });

  it('knows each field by the report symbol, the short name and the config key, in any case', () => {
    const field = (t: string) => (terms(t)[0] as { field: string }).field;
    for (const name of ['γ', 'lr', 'gamma', 'learningRate', 'LEARNINGRATE', 'LR']) expect(field(`${name}:0.1`), name).toBe('learningRate');
    for (const name of ['λ', 'l2', 'lambda', 'Λ']) expect(field(`${name}:0`), name).toBe('l2');
    for (const name of ['k', 'decay']) expect(field(`${name}:0.1`), name).toBe('decay');
    for (const name of ['β1', 'beta1', 'adamBeta1']) expect(field(`${name}:0.9`), name).toBe('adamBeta1');
    for (const name of ['batch', 'batchSize', 'bs']) expect(field(`${name}:64`), name).toBe('batchSize');
    for (const [name, f] of [['hidden', 'hidden'], ['epochs', 'epochs'], ['seed', 'seed'], ['kernel', 'kernel'], ['μ', 'momentum'], ['acc', 'finalAccuracy'], ['best', 'bestAccuracy'], ['loss', 'finalLoss'], ['id', 'id']] as const) {
      expect(field(`${name}:${f === 'hidden' ? '100' : f === 'kernel' ? 'auto' : '1'}`), name).toBe(f);
    }
  });

  it('compares numbers: equal, above, below, a range; accuracies in percent', () => {
    expect(terms('lr>0.01 lr<=1 batch:64..256 epochs>=10')).toEqual([
      { kind: 'field', field: 'learningRate', op: '>', value: 0.01, negate: false },
      { kind: 'field', field: 'learningRate', op: '<=', value: 1, negate: false },
      { kind: 'field', field: 'batchSize', op: 'between', value: 64, to: 256, negate: false },
      { kind: 'field', field: 'epochs', op: '>=', value: 10, negate: false },
    ]);
    expect(terms('acc>50 best:40..60%')).toEqual([
      { kind: 'field', field: 'finalAccuracy', op: '>', value: 0.5, negate: false },
      { kind: 'field', field: 'bestAccuracy', op: 'between', value: 0.4, to: 0.6, negate: false },
    ]);
    // an accuracy equals what the table shows (two decimals of a percent)
    const [eq] = terms('acc:51.23') as unknown as [{ value: number; to: number; op: string }];
    expect(eq.op).toBe('between');
    expect(eq.value).toBeCloseTo(0.51225, 12);
    expect(eq.to).toBeCloseTo(0.51235, 12);
    expect(terms('lr:>0.1')).toEqual([{ kind: 'field', field: 'learningRate', op: '>', value: 0.1, negate: false }]);
  });

  it('reads choices (a unique prefix will do), layer lists, text, experiment names and negation', () => {
    expect(terms('opt:ad status:fin')).toMatchObject([{ value: 'adam' }, { value: 'finished' }]);
    expect(terms('hidden:100x100 hidden:256×128 hidden:64,32 hidden:none')).toMatchObject([{ value: '[100,100]' }, { value: '[256,128]' }, { value: '[64,32]' }, { value: '[]' }]);
    expect(terms('notes:"loss spikes" exp:grid')).toEqual([
      { kind: 'field', field: 'notes', op: 'contains', value: 'loss spikes', negate: false },
      { kind: 'field', field: 'experimentName', op: 'contains', value: 'grid', negate: false },
    ]);
    expect(terms('-tag:bad -adam -"lr 0.1" -1')).toEqual([
      { kind: 'field', field: 'tag', op: '=', value: 'bad', negate: true },
      text('adam', true),
      text('lr 0.1', true),
      text('-1'),
    ]);
    // "lr: 0.1" with a space after the colon still means lr:0.1
    expect(terms('lr: 0.1 sgd')).toEqual([{ kind: 'field', field: 'learningRate', op: '=', value: 0.1, negate: false }, text('sgd')]);
  });

  it('keeps free words and quoted phrases as text, in lower case; times and numbers with colons stay text', () => {
    expect(terms('Adam  lr 0.1 "Loss Spikes" 21:38')).toEqual([text('adam'), text('lr'), text('0.1'), text('loss spikes'), text('21:38')]);
    expect(terms('"todo: fix"')).toEqual([text('todo: fix')]);
    expect(terms('   ')).toEqual([]);
  });

  it('says what is wrong and what to type instead', () => {
    expect(error('lrr:0.1')).toBe(`unknown field 'lrr' — did you mean lr? Try lr, optimizer, λ, k, β1, batch, hidden, epochs, seed, status, tag, exp, acc or any config name; put text with a colon in "quotes"`);
    expect(error('zzzzzz:1')).toMatch(/^unknown field 'zzzzzz' Try lr, optimizer/);
    expect(error('lr:abc')).toBe("lr needs a number, e.g. lr:0.1, lr>0.01 or lr:0.01..0.1 — 'abc' is not one");
    expect(error('lr:0x10')).toMatch(/'0x10' is not one/);
    expect(error('optimizer:adamw')).toBe("optimizer is sgd or adam, not 'adamw'");
    expect(error('status:done')).toBe("status is queued, running, finished, failed, cancelled, diverged, interrupted, waiting or pruned, not 'done'");
    expect(error('optimizer>adam')).toBe('optimizer is compared with a colon (optimizer:adam); > is for numbers');
    expect(error('hidden:wide')).toMatch(/^hidden needs layer widths, e.g. hidden:100x100/);
    expect(error('tag:')).toBe('tag: needs a value, e.g. tag:baseline');
    expect(error('lr>0.1..1')).toBe('a range goes after a colon (lr:0.1..1), not after >');
  });
});

describe('History search: free text against what the table shows', () => {
  // what the search reads of a configuration: the table's line, and "lr" for γ
  const summary = (over: object) => configSearchText(parseTrainConfig(over));

  it('finds "adam" only in Adam runs (not in the hidden adamBeta1 of every config) and "γ 0.1" (or "lr 0.1") in what the summary says', () => {
    const sgd = summary({ learningRate: 0.1 });
    const adam = summary({ optimizer: 'adam', learningRate: 0.01 });
    expect(matchesText(sgd, terms('adam') as TextTerm[])).toBe(false);
    expect(matchesText(adam, terms('adam') as TextTerm[])).toBe(true);
    for (const q of ['γ 0.1', 'lr 0.1']) {
      expect(matchesText(sgd, terms(q) as TextTerm[]), q).toBe(true);
      expect(matchesText(adam, terms(q) as TextTerm[]), q).toBe(false);
      expect(matchesText(sgd, terms(`"${q}"`) as TextTerm[]), q).toBe(true);
      expect(matchesText(summary({ learningRate: 0.15 }), terms(`"${q}"`) as TextTerm[]), q).toBe(false);
    }
    expect(matchesText(sgd, terms('-sgd') as TextTerm[])).toBe(false);
  });

  it('matches numbers whole at the ends that are digits', () => {
    expect(containsText('lr 0.1 · sgd', '0.1')).toBe(true);
    expect(containsText('lr 0.15 · sgd', '0.1')).toBe(false);
    expect(containsText('lr 10.1 · sgd', '0.1')).toBe(false);
    expect(containsText('#12\nfinished', '12')).toBe(true);
    expect(containsText('#128\nfinished', '12')).toBe(false);
    expect(containsText('lr 0.12 · sgd', '12')).toBe(false);
    expect(containsText('100×100', '100')).toBe(true);
    expect(containsText('adam', 'ada')).toBe(true);
    expect(containsText('batch 1.5', '1')).toBe(false);
  });
});
