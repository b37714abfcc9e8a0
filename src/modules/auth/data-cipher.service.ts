import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { readOrCreateKeyFile } from '../../common/crypto/key-file.js';
import { authConfig } from '../../config/auth.config.js';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface DataKey {
  id: string;
  key: Buffer;
}

/** A key's id: 8 hex digits of its SHA-256, stored beside each value it encrypted. */
const dataKey = (base64: string): DataKey => {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new Error('A data encryption key must be 32 bytes (base64)');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
};

/**
 * Encrypts secrets kept at rest (TOTP secrets) with AES-256-GCM as `v1.<key id>.<iv|tag|data>`.
 * The `context` (which row and column) is authenticated too, so a value copied to another row
 * does not decrypt. DATA_ENCRYPTION_KEY lists keys, the first encrypting and all decrypting, so
 * a new key can be put first while values under the old one stay readable until re-encrypted.
 * Unset, one key is generated and kept under DATA_DIR/keys (one machine only).
 */
@Injectable()
export class DataCipher implements OnModuleInit {
  private readonly logger = new Logger(DataCipher.name);
  private keys: DataKey[] = [];

  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  async onModuleInit(): Promise<void> {
    this.keys = (this.config.dataEncryptionKeys ?? [await this.generatedKey()]).map(dataKey);
  }

  /** How every value encrypted under the key that encrypts now begins. */
  get currentPrefix(): string {
    return `${FORMAT}.${this.current.id}.`;
  }

  isEncrypted(value: string): boolean {
    return value.startsWith(`${FORMAT}.`);
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, id, Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')].join(
      '.',
    );
  }

  /** Throws when the value was altered, belongs to another context or its key is not held. */
  decrypt(value: string, context: string): string {
    const parts = value.split('.');
    const [format, keyId, payload] = parts;
    if (parts.length !== 3 || format !== FORMAT || !payload)
      throw new Error('Not an encrypted value');
    const dataKey = this.keys.find((candidate) => candidate.id === keyId);
    if (!dataKey) {
      throw new Error(`Encrypted under data key ${keyId}, which DATA_ENCRYPTION_KEY does not list`);
    }
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('Not an encrypted value');
    // authTagLength pinned: GCM would otherwise accept a truncated (4-byte) tag.
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, bytes.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    })
      .setAAD(Buffer.from(context))
      .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  private get current(): DataKey {
    const [current] = this.keys;
    if (!current) throw new Error('DataCipher used before the module initialised');
    return current;
  }

  private async generatedKey(): Promise<string> {
    const { key, created } = await readOrCreateKeyFile(
      this.config.keyDir,
      'data-encryption.key',
      () => Promise.resolve(randomBytes(32).toString('base64')),
    );
    if (created) this.logger.log(`Generated a data encryption key in ${this.config.keyDir}`);
    return key;
  }
}
