import { paramEnvName, parseReportLine, placeholderNames, substituteArgs } from '../../../src/trials/kinds/command/command-protocol';

describe('the command trial protocol', () => {
  it('reads a report: the prefix and a JSON object of finite numbers, step among them', () => {
    expect(parseReportLine('hpo: {"step": 3, "val_loss": 0.41}')).toEqual({ step: 3, metrics: { val_loss: 0.41 } });
    expect(parseReportLine('hpo: {"loss": 1}')).toEqual({ step: undefined, metrics: { loss: 1 } });
  });

  it('takes anything else for ordinary output: lists, strings, non-numeric or non-finite fields, other prefixes', () => {
    for (const line of [
      'hpo: [1,2,3]',
      'hpo: "text"',
      'hpo: 42',
      'hpo: null',
      'hpo: {"loss": "low"}',
      'hpo: {"loss": 1, "note": "x"}',
      'hpo: {"loss": 1e999}',
      'hpo: {"step": "3", "loss": 1}',
      'hpo: {not json}',
      'epoch 3: loss 0.4',
    ]) {
      expect(parseReportLine(line)).toBeUndefined();
    }
  });

  it('substitutes parameters into arguments and names their environment variables', () => {
    expect(substituteArgs(['--lr={learning_rate}', '{depth}', '{unknown}'], { learning_rate: 0.01, depth: 3 })).toEqual(['--lr=0.01', '3', '{unknown}']);
    expect(placeholderNames('{a}-{b-c}')).toEqual(['a', 'b-c']);
    expect(paramEnvName('learning-rate')).toBe('HPO_PARAM_LEARNING_RATE');
  });
});
