import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardFromEnvironment, shardSpec } from '../../src/cli/arguments.js';

const fail = (message: string) => new Error(message);

describe('--shard n with the index from a batch engine', () => {
  it('takes part i+1 from a 0-based index of Kubernetes or AWS Batch, for every index and count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(), fc.constantFrom('JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'), (count, seed, variable) => {
        const index = seed % count;
        expect(shardFromEnvironment(shardSpec(String(count)), { [variable]: String(index) }, fail)).toEqual({ index: index + 1, count });
      }),
    );
  });

  it('keeps i/n as given, whatever the environment says', () => {
    expect(shardFromEnvironment(shardSpec('2/4'), { JOB_COMPLETION_INDEX: '0' }, fail)).toEqual({ index: 2, count: 4 });
  });

  it('takes a blank variable for one not set, and reads the next', () => {
    expect(shardFromEnvironment({ count: 8 }, { JOB_COMPLETION_INDEX: ' ', AWS_BATCH_JOB_ARRAY_INDEX: '5' }, fail)).toEqual({ index: 6, count: 8 });
  });

  it('prefers the Kubernetes variable when both are set', () => {
    expect(shardFromEnvironment({ count: 8 }, { JOB_COMPLETION_INDEX: '3', AWS_BATCH_JOB_ARRAY_INDEX: '5' }, fail)).toEqual({ index: 4, count: 8 });
  });

  it.each([
    [{}, '--shard 4 takes its part from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX, and neither is set: give the part as --shard i/4'],
    [{ JOB_COMPLETION_INDEX: '' }, '--shard 4 takes its part from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX, and neither is set: give the part as --shard i/4'],
    [{ JOB_COMPLETION_INDEX: '4' }, 'JOB_COMPLETION_INDEX is "4", but --shard 4 needs a whole number from 0 to 3 there (the task\'s index, counted from 0)'],
    [{ AWS_BATCH_JOB_ARRAY_INDEX: '-1' }, 'AWS_BATCH_JOB_ARRAY_INDEX is "-1", but --shard 4 needs a whole number from 0 to 3 there (the task\'s index, counted from 0)'],
    [{ AWS_BATCH_JOB_ARRAY_INDEX: '1.5' }, 'AWS_BATCH_JOB_ARRAY_INDEX is "1.5", but --shard 4 needs a whole number from 0 to 3 there (the task\'s index, counted from 0)'],
  ])('refuses %j in plain words', (env, message) => {
    expect(() => shardFromEnvironment({ count: 4 }, env, fail)).toThrow(message);
  });

  it.each(['0', '1/0', '0/3', '4/3', 'x', '2/', '/2'])('refuses --shard %s', (value) => {
    expect(() => shardSpec(value)).toThrow(/must be i\/n/);
  });
});
