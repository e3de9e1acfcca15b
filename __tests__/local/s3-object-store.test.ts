import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectStore } from '../../local/s3-object-store';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'order-infra-objects-'));
  mkdirSync(join(root, 'orders', 'objects', 'ab'), { recursive: true });
  writeFileSync(join(root, 'orders', 'bucket.json'), JSON.stringify({ createdAt: 0 }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const objectFile = () => join(root, 'orders', 'objects', 'ab', 'ab12');

describe('ObjectStore.open over a damaged file', () => {
  it.each([
    ['no metadata line', 'garbage', /\(no metadata line\)/],
    ['a metadata line that is not JSON', 'garbage\nbody', /\(its metadata line is not JSON: /],
    ['a metadata line without a key', '{"etag":"x"}\nbody', /\(its metadata line names no key\)/],
  ])('GIVEN an object file with %s THEN the error names that file', (_n, text, problem) => {
    writeFileSync(objectFile(), text);
    expect(() => ObjectStore.open(root)).toThrow(problem);
    expect(() => ObjectStore.open(root)).toThrow(`Local S3 file ${objectFile()} is damaged`);
  });

  it('GIVEN a bucket.json that is not JSON THEN the error names it', () => {
    writeFileSync(join(root, 'orders', 'bucket.json'), '{');
    expect(() => ObjectStore.open(root)).toThrow(`Local S3 file ${join(root, 'orders', 'bucket.json')} is damaged`);
  });

  it('GIVEN a well-formed object file THEN it loads', () => {
    const meta = { key: 'orders/records/a.json', etag: '"x"', contentType: 'application/json', userMetadata: {}, lastModified: 0 };
    writeFileSync(objectFile(), `${JSON.stringify(meta)}\n{}`);
    expect(
      ObjectStore.open(root)
        .bucketNames()
        .map((b) => b.name),
    ).toEqual(['orders']);
  });
});
