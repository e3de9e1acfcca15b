/**
 * The S3 REST API over an ObjectStore, path-style only (`/<bucket>/<key>`), for what the
 * handlers, the runtime and the tests call: CreateBucket, HeadBucket, ListBuckets,
 * PutObject (with If-None-Match: * and If-Match), GetObject, HeadObject, DeleteObject,
 * ListObjectsV2 (prefix, start-after, continuation-token, max-keys, delimiter,
 * encoding-type=url) and ListObjects. Any credentials are accepted: the Authorization
 * header and SigV4 signatures are not verified (the server listens on loopback only).
 * Bodies sent with `aws-chunked` encoding (the SDK's default for streamed uploads with
 * checksums) are decoded; checksums are not verified.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ListResult, type ObjectMeta, type ObjectStore, S3Error } from './s3-object-store';

/** Largest PutObject body accepted. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_KEYS = 1000;

function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': bytes.length });
  res.end(bytes);
}

function sendError(req: IncomingMessage, res: ServerResponse, error: S3Error, resource: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // HEAD answers carry no body; the SDK names them by status (NotFound, PreconditionFailed).
  if (req.method === 'HEAD') {
    res.writeHead(error.status, { 'x-amz-error-code': error.code });
    res.end();
    return;
  }
  const detail = Object.entries(error.detail)
    .map(([k, v]) => element(k, v))
    .join('');
  sendXml(
    res,
    error.status,
    `<Error>${element('Code', error.code)}${element('Message', error.message)}${detail}${element('Resource', resource)}${element(
      'RequestId',
      res.getHeader('x-amz-request-id') as string,
    )}</Error>`,
  );
}

/** Reads the body; decodes `aws-chunked` framing (`<hex size>[;ext]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`). */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size');
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new S3Error('IncompleteBody', 400, 'The aws-chunked body ended inside a chunk header');
    const length = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isInteger(length) || length < 0) throw new S3Error('InvalidRequest', 400, 'Malformed aws-chunked chunk header');
    if (length === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + length));
    at = lineEnd + 2 + length + 2;
  }
}

function objectHeaders(meta: ObjectMeta): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    ETag: meta.etag,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Content-Type': meta.contentType,
    'Content-Length': meta.size,
    'Accept-Ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

/** GetObject/HeadObject preconditions: 412 for If-Match, 304 for If-None-Match. */
function checkReadConditions(req: IncomingMessage, meta: ObjectMeta): 304 | undefined {
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== meta.etag && `"${ifMatch}"` !== meta.etag)
    throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-Match',
    });
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || ifNoneMatch === meta.etag || `"${ifNoneMatch}"` === meta.etag)) return 304;
  return undefined;
}

function listXml(bucket: string, query: URLSearchParams, result: ListResult, v2: boolean): string {
  const url = query.get('encoding-type') === 'url';
  const enc = (s: string | undefined) => (s === undefined ? undefined : url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const maxKeys = listMaxKeys(query);
  const contents = result.contents
    .map(
      (o) =>
        `<Contents>${element('Key', enc(o.key))}${element('LastModified', new Date(o.lastModified).toISOString())}${element(
          'ETag',
          o.etag,
        )}${element('Size', o.size)}<StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const prefixes = result.commonPrefixes.map((p) => `<CommonPrefixes>${element('Prefix', enc(p))}</CommonPrefixes>`).join('');
  const paging = v2
    ? `${element('KeyCount', result.contents.length + result.commonPrefixes.length)}${element('StartAfter', enc(query.get('start-after') ?? undefined))}${element(
        'ContinuationToken',
        query.get('continuation-token') ?? undefined,
      )}${element('NextContinuationToken', result.isTruncated && result.lastReturned ? encodeToken(result.lastReturned) : undefined)}`
    : `${element('Marker', enc(query.get('marker') ?? ''))}${element(
        'NextMarker',
        result.isTruncated && query.get('delimiter') ? enc(result.lastReturned) : undefined,
      )}`;
  return `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${element('Name', bucket)}${element(
    'Prefix',
    enc(query.get('prefix') ?? ''),
  )}${paging}${element('MaxKeys', maxKeys)}${element('Delimiter', enc(query.get('delimiter') ?? undefined))}${element(
    'EncodingType',
    url ? 'url' : undefined,
  )}${element('IsTruncated', result.isTruncated)}${contents}${prefixes}</ListBucketResult>`;
}

function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token) || encodeToken(Buffer.from(token, 'base64url').toString('utf8')) !== token)
    throw new S3Error('InvalidArgument', 400, 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return Buffer.from(token, 'base64url').toString('utf8');
}

function listMaxKeys(query: URLSearchParams): number {
  const raw = query.get('max-keys');
  if (raw === null) return MAX_KEYS;
  if (!/^\d+$/.test(raw)) throw new S3Error('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
  return Math.min(Number(raw), MAX_KEYS);
}

function list(store: ObjectStore, bucket: string, query: URLSearchParams): string {
  const v2 = query.get('list-type') === '2';
  const token = query.get('continuation-token');
  const after = v2 ? (token !== null ? decodeToken(token) : (query.get('start-after') ?? undefined)) : (query.get('marker') ?? undefined);
  const result = store.list(bucket, {
    prefix: query.get('prefix') ?? '',
    after: after === '' ? undefined : after,
    maxKeys: listMaxKeys(query),
    delimiter: query.get('delimiter') || undefined,
  });
  return listXml(bucket, query, result, v2);
}

function userMetadata(req: IncomingMessage): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') meta[name.slice('x-amz-meta-'.length)] = value;
  return meta;
}

async function handleObject(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string, key: string): Promise<void> {
  switch (req.method) {
    case 'PUT': {
      if (req.headers['x-amz-copy-source'] !== undefined) throw new S3Error('NotImplemented', 501, 'CopyObject is not implemented locally');
      const body = await readBody(req);
      const ifNoneMatch = req.headers['if-none-match'];
      const ifMatch = req.headers['if-match'];
      const meta = await store.put(bucket, key, body, {
        contentType: req.headers['content-type'],
        userMetadata: userMetadata(req),
        conditions: { ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) },
      });
      const sse = req.headers['x-amz-server-side-encryption'];
      res.writeHead(200, { ETag: meta.etag, 'Content-Length': 0, ...(sse ? { 'x-amz-server-side-encryption': sse } : {}) });
      res.end();
      return;
    }
    case 'GET':
    case 'HEAD': {
      const meta = store.head(bucket, key);
      if (!meta) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
      if (checkReadConditions(req, meta) === 304) {
        res.writeHead(304, { ETag: meta.etag });
        res.end();
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, objectHeaders(meta));
        res.end();
        return;
      }
      const object = await store.get(bucket, key);
      if (!object) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
      res.writeHead(200, objectHeaders(object.meta));
      res.end(object.body);
      return;
    }
    case 'DELETE':
      await store.delete(bucket, key);
      res.writeHead(204);
      res.end();
      return;
    default:
      throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
  }
}

async function handleBucket(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  switch (req.method) {
    case 'PUT':
      await readBody(req); // a CreateBucketConfiguration, if any: the region is not kept
      if (!store.createBucket(bucket))
        throw new S3Error(
          'BucketAlreadyOwnedByYou',
          409,
          'Your previous request to create the named bucket succeeded and you already own it.',
          {
            BucketName: bucket,
          },
        );
      res.writeHead(200, { Location: `/${bucket}`, 'Content-Length': 0 });
      res.end();
      return;
    case 'HEAD':
      if (!store.hasBucket(bucket)) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
      res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' });
      res.end();
      return;
    case 'GET':
      if (query.has('location')) {
        if (!store.hasBucket(bucket)) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
        sendXml(res, 200, '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>');
        return;
      }
      sendXml(res, 200, list(store, bucket, query));
      return;
    default:
      throw new S3Error('NotImplemented', 501, `${req.method} on a bucket is not implemented locally`);
  }
}

/** The request listener of the local S3 server. */
export function s3RequestHandler(store: ObjectStore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    res.setHeader('x-amz-request-id', randomBytes(8).toString('hex').toUpperCase());
    const url = new URL(req.url ?? '/', 'http://local');
    let resource = url.pathname;
    const done = (async () => {
      let path: string;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        throw new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.");
      }
      resource = path;
      const slash = path.indexOf('/', 1);
      const bucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
      const key = slash < 0 ? '' : path.slice(slash + 1);
      if (bucket === '') {
        if (req.method !== 'GET') throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
        const buckets = store
          .bucketNames()
          .map((b) => `<Bucket>${element('Name', b.name)}${element('CreationDate', new Date(b.createdAt).toISOString())}</Bucket>`)
          .join('');
        sendXml(
          res,
          200,
          `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
        );
        return;
      }
      if (key === '') await handleBucket(store, req, res, bucket, url.searchParams);
      else await handleObject(store, req, res, bucket, key);
    })();
    done.catch((error: unknown) => {
      // Details of an unexpected failure (paths, stack) stay in this process's stderr.
      if (!(error instanceof S3Error)) console.error(`local S3: ${req.method} ${resource} failed:`, error);
      const s3Error =
        error instanceof S3Error ? error : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
      req.resume();
      sendError(req, res, s3Error, resource);
    });
  };
}
