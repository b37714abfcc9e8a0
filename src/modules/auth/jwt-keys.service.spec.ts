import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../../config/auth.config.js';
import { JwtKeysService } from './jwt-keys.service.js';

type AuthConfig = ConfigType<typeof authConfig>;

describe('JwtKeysService', () => {
  let keyDir: string;
  const config = (overrides: Partial<AuthConfig> = {}): AuthConfig =>
    ({ keyDir, privateKeyPem: undefined, publicKeyPem: undefined, ...overrides }) as AuthConfig;
  const pem = (type: 'ec' | 'ed25519', curve?: string) =>
    generateKeyPairSync(type as 'ec', { namedCurve: curve ?? 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;

  beforeEach(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'keys-spec-'));
  });
  afterEach(() => rm(keyDir, { recursive: true, force: true }));

  describe('load', () => {
    it('generates a P-256 key once and reuses it after a restart', async () => {
      const first = await new JwtKeysService(config()).load();
      const second = await new JwtKeysService(config()).load();
      expect(await readdir(keyDir)).toEqual(['jwt-es256-private.pem']);
      expect(second.kid).toBe(first.kid);
      expect(first.jwk).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        kid: first.kid,
      });
      expect(first.jwk).not.toHaveProperty('d');
    });

    it('uses a configured key and writes nothing', async () => {
      const sut = await new JwtKeysService(config({ privateKeyPem: pem('ec') })).load();
      expect(sut.publicKeyPem).toContain('BEGIN PUBLIC KEY');
      expect(await readdir(keyDir)).toEqual([]);
    });

    it('refuses a key that is not P-256', async () => {
      await expect(
        new JwtKeysService(config({ privateKeyPem: pem('ec', 'secp384r1') })).load(),
      ).rejects.toThrow('EC P-256');
    });

    it('refuses a public key that does not belong to the private key', async () => {
      const unrelated = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
        type: 'spki',
        format: 'pem',
      }) as string;
      await expect(
        new JwtKeysService(config({ privateKeyPem: pem('ec'), publicKeyPem: unrelated })).load(),
      ).rejects.toThrow('does not belong');
    });
  });
});
