/**
 * The handlers' SDK clients resolve each command's middleware stack once per client, not on
 * every call: a GET /orders page makes 15 S3 calls, and resolving the stack each time was a
 * large part of the api function's CPU per page.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../handlers/shared/s3-client';
import { sfnClient } from '../../../handlers/shared/sfn-client';
import { startLocalS3, type LocalS3 } from '../../helpers/local-s3';

let s3: LocalS3;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: ['orders'] });
  Object.assign(process.env, s3.env);
});

afterAll(async () => {
  process.env = saved;
  await s3.stop();
});

it('GIVEN the S3 client WHEN it sends three GetObject calls THEN the middleware stack was resolved once', async () => {
  const client = createS3Client();
  const resolve = jest.spyOn(GetObjectCommand.prototype, 'resolveMiddleware');
  try {
    await client.send(new PutObjectCommand({ Bucket: 'orders', Key: 'a.json', Body: '{}' }));
    for (let i = 0; i < 3; i += 1) {
      const out = await client.send(new GetObjectCommand({ Bucket: 'orders', Key: 'a.json' }));
      expect(await out.Body!.transformToString()).toBe('{}');
    }
    expect(resolve).toHaveBeenCalledTimes(1);
  } finally {
    resolve.mockRestore();
    client.destroy();
  }
});

it('GIVEN the Step Functions client THEN it is configured to cache resolved middleware too', () => {
  expect(sfnClient().config.cacheMiddleware).toBe(true);
});
