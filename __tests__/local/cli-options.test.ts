import { HELP, parseCli, UsageError } from '../../local/cli-options';
import { FaultSpecError } from '../../local/faults';

describe('parseCli', () => {
  it('GIVEN no arguments WHEN parsed THEN the documented defaults apply', () => {
    expect(parseCli([], {})).toEqual({ help: false, port: 3000, dataDir: '.local', faults: [], retryIntervalMs: 100 });
  });

  it('GIVEN every option WHEN parsed THEN each is read, --fault repeatable and added to ORDERS_LOCAL_FAULTS', () => {
    const options = parseCli(
      [
        '--port',
        '0',
        '--data-dir',
        '/tmp/d',
        '--fault',
        'CheckInventory:Lambda.ServiceException:2',
        '--fault',
        'StoreOrder:Lambda.TooManyRequestsException:always',
        '--retry-interval-ms',
        '5',
      ],
      { ORDERS_LOCAL_FAULTS: 'ProcessPayment:Lambda.ServiceException' },
    );
    expect(options).toEqual({
      help: false,
      port: 0,
      dataDir: '/tmp/d',
      retryIntervalMs: 5,
      faults: [
        { state: 'ProcessPayment', error: 'Lambda.ServiceException', times: 1 },
        { state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 },
        { state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' },
      ],
    });
  });

  it('GIVEN PORT in the environment and no --port WHEN parsed THEN PORT is used', () => {
    expect(parseCli([], { PORT: '8080' }).port).toBe(8080);
  });

  it.each([
    [['--port', 'abc'], UsageError, /--port is "abc"; use a whole number from 0 to 65535/],
    [['--port', '70000'], UsageError, /--port is "70000"/],
    [['--retry-interval-ms=-1'], UsageError, /--retry-interval-ms is "-1"/],
    [['--bogus'], UsageError, /Unknown option '--bogus'/],
    [['--fault', 'Nope:Lambda.ServiceException'], FaultSpecError, /state "Nope" is not a Task state/],
  ])('GIVEN %j WHEN parsed THEN it throws naming the problem', (argv, type, message) => {
    expect(() => parseCli(argv, {})).toThrow(type);
    expect(() => parseCli(argv, {})).toThrow(message);
  });

  it('GIVEN --help WHEN parsed THEN help is set, and the help text lists every option and the Task states', () => {
    expect(parseCli(['--help'], {}).help).toBe(true);
    expect(parseCli(['-h'], {}).help).toBe(true);
    for (const text of [
      '--port',
      '--data-dir',
      '--fault',
      '--retry-interval-ms',
      '--help',
      'ORDERS_LOCAL_FAULTS',
      'PORT',
      'CheckInventory',
      'StoreFailedOrder',
    ]) {
      expect(HELP).toContain(text);
    }
  });
});
