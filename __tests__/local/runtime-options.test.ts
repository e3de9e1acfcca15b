import { startLocalRuntime, validateRuntimeOptions, type LocalRuntimeOptions } from '../../local/runtime';

describe('validateRuntimeOptions', () => {
  it('GIVEN only a data dir WHEN validated THEN it is accepted', () => {
    expect(() => validateRuntimeOptions({ dataDir: '.local' })).not.toThrow();
  });

  it.each<[string, LocalRuntimeOptions, RegExp]>([
    ['an empty dataDir', { dataDir: ' ' }, /dataDir is " "; give the folder/],
    ['a port above 65535', { dataDir: 'd', port: 70000 }, /port is 70000; use an integer from 0/],
    ['a fractional s3Port', { dataDir: 'd', s3Port: 1.5 }, /s3Port is 1.5/],
    [
      'a non-loopback host',
      { dataDir: 'd', host: '0.0.0.0' as '127.0.0.1' },
      /host is "0.0.0.0"; the local runtime listens on loopback only/,
    ],
    ['a negative retryIntervalMs', { dataDir: 'd', retryIntervalMs: -1 }, /retryIntervalMs is -1/],
    ['a zero functionTimeoutMs', { dataDir: 'd', functionTimeoutMs: 0 }, /functionTimeoutMs is 0/],
  ])('GIVEN %s WHEN validated THEN one error names the setting, its value and the fix', (_case, options, message) => {
    expect(() => validateRuntimeOptions(options)).toThrow(message);
  });

  it('GIVEN several bad options WHEN starting THEN one error lists them all before anything starts', async () => {
    await expect(startLocalRuntime({ dataDir: '', port: -1, retryIntervalMs: 0.5 })).rejects.toThrow(
      /dataDir.*port is -1.*retryIntervalMs is 0.5/,
    );
  });
});
