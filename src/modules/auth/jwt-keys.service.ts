import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { readOrCreateKeyFile } from '../../common/crypto/key-file.js';
import { authConfig } from '../../config/auth.config.js';

export const JWT_ALGORITHM = 'ES256';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  kid: string;
  jwk: JWK;
}

/**
 * The ES256 key pair that signs access tokens. From JWT_PRIVATE_KEY (and optionally
 * JWT_PUBLIC_KEY) when set; otherwise generated once and kept under DATA_DIR/keys, so tokens
 * survive restarts in development.
 */
@Injectable()
export class JwtKeysService implements OnModuleInit {
  private readonly logger = new Logger(JwtKeysService.name);
  private loaded?: SigningKeys;

  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<SigningKeys> {
    this.loaded ??= await this.buildKeys(await this.privateKeyPem());
    return this.loaded;
  }

  get keys(): SigningKeys {
    if (!this.loaded) throw new Error('JWT keys used before the module initialised');
    return this.loaded;
  }

  private async buildKeys(privatePem: string): Promise<SigningKeys> {
    const privateKey = createPrivateKey(privatePem);
    if (
      privateKey.asymmetricKeyType !== 'ec' ||
      privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
    ) {
      throw new Error('JWT_PRIVATE_KEY must be an EC P-256 key (ES256)');
    }
    const publicKey = createPublicKey(this.config.publicKeyPem ?? privateKey);
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    if (
      publicKeyPem !==
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
    ) {
      throw new Error('JWT_PUBLIC_KEY does not belong to JWT_PRIVATE_KEY');
    }
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return { privateKey, publicKeyPem, kid, jwk: { ...jwk, kid, alg: JWT_ALGORITHM, use: 'sig' } };
  }

  private async privateKeyPem(): Promise<string> {
    if (this.config.privateKeyPem) return this.config.privateKeyPem;
    const { key, created } = await readOrCreateKeyFile(
      this.config.keyDir,
      'jwt-es256-private.pem',
      async () =>
        exportPKCS8((await generateKeyPair(JWT_ALGORITHM, { extractable: true })).privateKey),
    );
    if (created)
      this.logger.log(`Generated a development JWT signing key in ${this.config.keyDir}`);
    return key;
  }
}
