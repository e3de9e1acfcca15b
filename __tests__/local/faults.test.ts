import { FaultInjector, FaultSpecError, parseFaultList, parseFaultSpec } from '../../local/faults';

describe('parseFaultSpec', () => {
  it.each([
    ['CheckInventory:Lambda.ServiceException:2', { state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 }],
    [
      'StoreOrder:Lambda.TooManyRequestsException:always',
      { state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' },
    ],
    ['ProcessPayment:OrderValidationError', { state: 'ProcessPayment', error: 'OrderValidationError', times: 1 }],
  ])('GIVEN %s WHEN parsed THEN it is %j', (text, expected) => {
    expect(parseFaultSpec(text)).toEqual(expected);
  });

  it.each([
    ['NoSuchState:Lambda.ServiceException', /state "NoSuchState" is not a Task state.*CheckInventory/],
    ['CheckInventory:bad name!', /error "bad name!" is not a valid error name/],
    ['CheckInventory:Lambda.ServiceException:0', /count "0" must be a whole number from 1/],
    ['CheckInventory:Lambda.ServiceException:two', /count "two"/],
    ['CheckInventory', /malformed; write <TaskState>:<ErrorName>/],
    ['a:b:c:d', /malformed/],
  ])('GIVEN the invalid spec %s WHEN parsed THEN a FaultSpecError names the problem', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it('GIVEN a comma-separated list (ORDERS_LOCAL_FAULTS) WHEN parsed THEN every item is returned in order', () => {
    expect(parseFaultList('CheckInventory:Lambda.ServiceException:2, StoreOrder:Lambda.TooManyRequestsException:always')).toEqual([
      { state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 },
      { state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' },
    ]);
    expect(parseFaultList(undefined)).toEqual([]);
    expect(parseFaultList('  ')).toEqual([]);
  });
});

describe('FaultInjector', () => {
  it('GIVEN a fault for 2 attempts WHEN a state is attempted 3 times in one execution THEN only the first 2 fail, with the chosen error name', () => {
    const injector = new FaultInjector([{ state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 }]);
    const results = [1, 2, 3].map(() => injector.check('ord_A', 'CheckInventory'));
    expect(results.map((e) => e?.name)).toEqual(['Lambda.ServiceException', 'Lambda.ServiceException', undefined]);
  });

  it('GIVEN a counted fault WHEN two executions run THEN each execution gets its own count', () => {
    const injector = new FaultInjector([{ state: 'StoreOrder', error: 'Lambda.ServiceException', times: 1 }]);
    expect(injector.check('ord_A', 'StoreOrder')?.name).toBe('Lambda.ServiceException');
    expect(injector.check('ord_B', 'StoreOrder')?.name).toBe('Lambda.ServiceException');
    expect(injector.check('ord_A', 'StoreOrder')).toBeUndefined();
  });

  it('GIVEN an "always" fault WHEN attempted many times THEN every attempt fails; other states never fail', () => {
    const injector = new FaultInjector([{ state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' }]);
    for (let i = 0; i < 10; i++) expect(injector.check('ord_A', 'StoreOrder')?.name).toBe('Lambda.TooManyRequestsException');
    expect(injector.check('ord_A', 'ProcessOrder')).toBeUndefined();
  });

  it('GIVEN active faults WHEN set([]) is called THEN nothing fails any more', () => {
    const injector = new FaultInjector([{ state: 'StoreOrder', error: 'Lambda.ServiceException', times: 'always' }]);
    injector.set([]);
    expect(injector.check('ord_A', 'StoreOrder')).toBeUndefined();
    expect(injector.list()).toEqual([]);
  });
});
