import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { deterministicZip, md5Hex, sha256Base64, sha256Hex } from '../../packaging/deterministic-zip';

/** Reads the DOS date/time, "version made by" and external attributes of each central-directory entry. */
function centralDirectory(zip: Uint8Array): Array<{ name: string; madeBy: number; dosTime: number; dosDate: number; attrs: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = [];
  for (let i = 0; i + 46 <= zip.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(i + 28, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(i + 46, i + 46 + nameLength)),
      madeBy: zip[i + 5],
      dosTime: view.getUint16(i + 12, true),
      dosDate: view.getUint16(i + 14, true),
      attrs: view.getUint32(i + 38, true),
    });
  }
  return entries;
}

describe('deterministicZip', () => {
  it('GIVEN the same entries in a different insertion order WHEN zipped THEN the bytes are identical', () => {
    const a = deterministicZip({ 'index.js': 'exports.handler=1', 'lib/a.js': 'a' });
    const b = deterministicZip({ 'lib/a.js': 'a', 'index.js': 'exports.handler=1' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('GIVEN entries WHEN zipped THEN they are stored sorted by path', () => {
    const zip = deterministicZip({ 'z.js': 'z', 'index.js': 'i', 'a/b.js': 'b' });
    expect(centralDirectory(zip).map((e) => e.name)).toEqual(['a/b.js', 'index.js', 'z.js']);
  });

  it('GIVEN any entry WHEN zipped THEN its timestamp is 1980-01-01 00:00 and its mode is a Unix 0644 file', () => {
    const [entry] = centralDirectory(deterministicZip({ 'index.js': 'x' }));
    expect(entry.dosDate).toBe((0 << 9) | (1 << 5) | 1); // year 1980 + 0, January, day 1
    expect(entry.dosTime).toBe(0);
    expect(entry.madeBy).toBe(3);
    expect(entry.attrs >>> 16).toBe(0o100644);
  });

  it.each(['UTC', 'Asia/Tokyo', 'America/Los_Angeles'])(
    'GIVEN TZ=%s WHEN zipped in a fresh process THEN the bytes match this process',
    (tz) => {
      const script =
        "require('tsx/cjs');const{deterministicZip,sha256Hex}=require('./packaging/deterministic-zip');process.stdout.write(sha256Hex(deterministicZip({'index.js':'same'})))";
      const hash = execFileSync(process.execPath, ['-e', script], {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, TZ: tz },
      }).toString();
      expect(hash).toBe(sha256Hex(deterministicZip({ 'index.js': 'same' })));
    },
  );

  it('GIVEN different content WHEN zipped THEN the bytes differ', () => {
    expect(sha256Hex(deterministicZip({ 'index.js': 'a' }))).not.toBe(sha256Hex(deterministicZip({ 'index.js': 'b' })));
  });

  it('GIVEN a zip WHEN extracted by fflate and by the system unzip THEN the content round-trips', () => {
    const content = 'exports.handler = async () => 42;\n'.repeat(50);
    const zip = deterministicZip({ 'index.js': content });
    expect(new TextDecoder().decode(unzipSync(zip)['index.js'])).toBe(content);
    const dir = mkdtempSync(join(tmpdir(), 'order-infra-zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), zip);
      let unzipAvailable = true;
      try {
        execFileSync('unzip', ['-q', 'a.zip'], { cwd: dir, stdio: 'pipe' });
      } catch (e) {
        unzipAvailable = (e as NodeJS.ErrnoException).code !== 'ENOENT';
        if (unzipAvailable) throw e;
      }
      if (unzipAvailable) {
        expect(readFileSync(join(dir, 'index.js'), 'utf8')).toBe(content);
        expect(statSync(join(dir, 'index.js')).mode & 0o777).toBe(0o644);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([['/abs.js'], ['../up.js'], ['win\\path.js']])(
    'GIVEN the unsafe entry name %s WHEN zipped THEN it throws naming the entry',
    (name) => {
      expect(() => deterministicZip({ [name]: 'x' })).toThrow(name);
    },
  );

  it('GIVEN no entries WHEN zipped THEN it throws', () => {
    expect(() => deterministicZip({})).toThrow(/no entries/);
  });

  it('GIVEN known bytes WHEN hashed THEN the formats match filebase64sha256, sha256 hex and filemd5', () => {
    const bytes = new TextEncoder().encode('abc');
    expect(sha256Hex(bytes)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Base64(bytes)).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(md5Hex(bytes)).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
