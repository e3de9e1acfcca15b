import { HELP, parseCli, startMessage, UsageError } from '../../local/cli-options';
import { FaultSpecError } from '../../local/faults';

describe('parseCli', () => {
  it('GIVEN no arguments WHEN parsed THEN the documented defaults apply', () => {
    expect(parseCli([], {})).toEqual({
      help: false,
      port: 3000,
      dataDir: '.local',
      faults: [],
      retryScale: 0.01,
      consolePort: 3001,
      watch: false,
    });
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
        '--retry-scale',
        '0.5',
        '--console-port',
        '0',
        '--watch',
      ],
      { ORDERS_LOCAL_FAULTS: 'ProcessPayment:Lambda.ServiceException' },
    );
    expect(options).toEqual({
      help: false,
      port: 0,
      dataDir: '/tmp/d',
      retryIntervalMs: 5,
      retryScale: 0.5,
      consolePort: 0,
      watch: true,
      faults: [
        { state: 'ProcessPayment', error: 'Lambda.ServiceException', times: 1 },
        { state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 },
        { state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' },
      ],
    });
  });

  it('GIVEN --port 0 and no --console-port THEN the console takes any free port too', () => {
    expect(parseCli(['--port', '0'], {}).consolePort).toBe(0);
    expect(parseCli(['--port', '0', '--console-port', '4000'], {}).consolePort).toBe(4000);
  });

  it('GIVEN PORT in the environment and no --port WHEN parsed THEN PORT is used', () => {
    expect(parseCli([], { PORT: '8080' }).port).toBe(8080);
  });

  it.each([
    [['--port', 'abc'], UsageError, /--port is "abc"; use a whole number from 0 to 65535/],
    [['--port', '70000'], UsageError, /--port is "70000"/],
    [['--retry-interval-ms=-1'], UsageError, /--retry-interval-ms is "-1"/],
    [['--retry-scale', '2'], UsageError, /--retry-scale is "2"; use a number from 0 to 1/],
    [['--retry-scale', 'fast'], UsageError, /--retry-scale is "fast"/],
    [['--console-port=-3'], UsageError, /--console-port is "-3"/],
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
      '--retry-scale',
      '--console-port',
      '--watch',
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

describe('startMessage', () => {
  /** The error Node's listen gives for a port in use. */
  const inUse = (port: number) =>
    Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE', port });

  it('names --console-port when the console port is the one in use', () => {
    expect(startMessage(inUse(3928), { port: 3927, consolePort: 3928 })).toBe(
      'Port already in use (listen EADDRINUSE: address already in use 127.0.0.1:3928); pass --console-port <n> or --console-port 0.',
    );
  });

  it('names --port when the API port is the one in use', () => {
    expect(startMessage(inUse(3927), { port: 3927, consolePort: 3928 })).toMatch(/; pass --port <n> or --port 0\.$/);
  });

  it('gives the first line of any other error', () => {
    expect(startMessage(new Error('Data directory /x is locked by process 42\nstack'))).toBe('Data directory /x is locked by process 42');
  });
});
