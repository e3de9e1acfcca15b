import { isServiceUnavailable } from '../../../handlers/shared/errors';

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...(code ? { code } : {}) });

describe('isServiceUnavailable', () => {
  it.each([
    ['connection refused', sdkError('Error', undefined, 'ECONNREFUSED'), true],
    ['connection reset', sdkError('Error', undefined, 'ECONNRESET'), true],
    ['SDK time-out', sdkError('TimeoutError'), true],
    ['S3 SlowDown (503)', sdkError('SlowDown', 503), true],
    ['S3 InternalError (500): may have been carried out', sdkError('InternalError', 500), false],
    ['Step Functions throttling', sdkError('ThrottlingException', 400), true],
    ['NoSuchKey (404)', sdkError('NoSuchKey', 404), false],
    ['AccessDenied (403)', sdkError('AccessDenied', 403), false],
    ['a plain bug', new TypeError('x is undefined'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('%s -> %s', (_name, error, expected) => {
    expect(isServiceUnavailable(error)).toBe(expected);
  });
});
