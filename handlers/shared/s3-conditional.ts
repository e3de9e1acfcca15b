/**
 * The two pieces every compare-and-swap on an S3 object shares (the storage step's records and
 * the order counter): reading a JSON object with the ETag a conditional write names, and telling
 * a lost race from a real failure.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { errorName } from './errors';
import type { S3Sender } from './s3-client';

/**
 * What a conditional write answers when another writer got there first: 412 (If-Match or
 * If-None-Match failed), 409 (a concurrent conditional write), or the object gone under If-Match.
 */
const RACE_LOST = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'NoSuchKey']);

export function isLostRace(error: unknown): boolean {
  return RACE_LOST.has(errorName(error) ?? '');
}

/** The object parsed as JSON, with its ETag; undefined when there is none. */
export async function readJsonWithEtag<T>(s3: S3Sender, bucket: string, key: string): Promise<{ value: T; etag: string } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { value: JSON.parse(await out.Body!.transformToString('utf8')) as T, etag: out.ETag ?? '' };
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') return undefined;
    throw error;
  }
}
