import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../../config/auth.config.js';
import { DataCipher } from './data-cipher.service.js';

type AuthConfig = ConfigType<typeof authConfig>;

describe('DataCipher', () => {
  let keyDir: string;
  const newKey = () => randomBytes(32).toString('base64');
  const cipherWith = async (dataEncryptionKeys?: string[]) => {
    const cipher = new DataCipher({ keyDir, dataEncryptionKeys } as AuthConfig);
    await cipher.onModuleInit();
    return cipher;
  };

  beforeEach(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'cipher-spec-'));
  });
  afterEach(() => rm(keyDir, { recursive: true, force: true }));

  it('round-trips a value, with a fresh IV each time, under the current key id', async () => {
    const cipher = await cipherWith([newKey()]);
    const [a, b] = [
      cipher.encrypt('JBSWY3DPEHPK3PXP', 'ctx'),
      cipher.encrypt('JBSWY3DPEHPK3PXP', 'ctx'),
    ];
    expect(a).not.toBe(b);
    expect(a.startsWith(cipher.currentPrefix)).toBe(true);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.decrypt(a, 'ctx')).toBe('JBSWY3DPEHPK3PXP');
    expect(cipher.decrypt(b, 'ctx')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses an altered value and a value moved to another context', async () => {
    const cipher = await cipherWith([newKey()]);
    const sealed = cipher.encrypt('secret', 'row-1');
    const payload = Buffer.from(sealed.split('.')[2], 'base64url');
    payload[payload.length - 1] ^= 1;
    const altered = `${cipher.currentPrefix}${payload.toString('base64url')}`;
    expect(() => cipher.decrypt(altered, 'row-1')).toThrow();
    // GCM checks a tag cut to 4 bytes on those 32 bits alone, unless the length is pinned.
    const empty = Buffer.from(cipher.encrypt('', 'row-1').split('.')[2], 'base64url');
    const cut = `${cipher.currentPrefix}${empty.subarray(0, 16).toString('base64url')}`;
    expect(() => cipher.decrypt(cut, 'row-1')).toThrow();
    expect(() => cipher.decrypt(`${sealed}.extra`, 'row-1')).toThrow('Not an encrypted value');
    expect(() => cipher.decrypt(sealed, 'row-2')).toThrow();
  });

  it('rotation: a new key first encrypts, the old one still decrypts; without it, a clear error', async () => {
    const [oldKey, rotated] = [newKey(), newKey()];
    const before = await cipherWith([oldKey]);
    const sealed = before.encrypt('secret', 'ctx');
    const after = await cipherWith([rotated, oldKey]);
    expect(after.decrypt(sealed, 'ctx')).toBe('secret');
    expect(after.currentPrefix).not.toBe(before.currentPrefix);
    expect(after.encrypt('secret', 'ctx').startsWith(after.currentPrefix)).toBe(true);
    const withoutOld = await cipherWith([rotated]);
    expect(() => withoutOld.decrypt(sealed, 'ctx')).toThrow(/does not list/);
  });

  it('unset, generates one key under keyDir and keeps it across restarts', async () => {
    const sealed = (await cipherWith()).encrypt('secret', 'ctx');
    expect(await readdir(keyDir)).toEqual(['data-encryption.key']);
    expect((await cipherWith()).decrypt(sealed, 'ctx')).toBe('secret');
  });
});
