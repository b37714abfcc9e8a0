import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const URL_OPTIONS = { require_tld: false, require_protocol: true };
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PEM = /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----\s*$/;

/**
 * Every variable of the configuration contract (API.md), with its default.
 * Validated once at boot: a bad value stops the process with a line naming the variable.
 */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  APP_URL = 'http://localhost:3000';

  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['postgres', 'postgresql'] })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(toBoolean)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @IsOptional()
  @Matches(PEM, { message: 'must be a PEM-encoded private key' })
  JWT_PRIVATE_KEY?: string;

  @IsOptional()
  @Matches(PEM, { message: 'must be a PEM-encoded public key' })
  JWT_PUBLIC_KEY?: string;

  /** Comma-separated base64 32-byte keys: the first encrypts, every one decrypts. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*$/, {
    message: 'must be one or more comma-separated base64 32-byte keys',
  })
  DATA_ENCRYPTION_KEY?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL = 900;

  @Transform(toInteger)
  @IsInt()
  @Min(60)
  JWT_REFRESH_TTL = 2592000;

  @IsOptional()
  @IsString()
  @MinLength(16)
  INTERNAL_API_KEY?: string;

  @Transform(toBoolean)
  @IsBoolean()
  ADMIN_MAINTENANCE_MODE = false;

  @IsOptional()
  @IsString()
  @MinLength(1)
  STRIPE_SECRET_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  STRIPE_WEBHOOK_SECRET?: string;

  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  STRIPE_API_BASE = 'https://api.stripe.com';

  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['smtp', 'smtps'] })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Subscription Service <no-reply@localhost>';

  @IsOptional() @IsString() OAUTH_GITHUB_CLIENT_ID?: string;
  @IsOptional() @IsString() OAUTH_GITHUB_CLIENT_SECRET?: string;
  @IsUrl(URL_OPTIONS) OAUTH_GITHUB_AUTHORIZE_URL = 'https://github.com/login/oauth/authorize';
  @IsUrl(URL_OPTIONS) OAUTH_GITHUB_TOKEN_URL = 'https://github.com/login/oauth/access_token';
  @IsUrl(URL_OPTIONS) OAUTH_GITHUB_USERINFO_URL = 'https://api.github.com/user';
  @IsOptional() @IsString() OAUTH_GOOGLE_CLIENT_ID?: string;
  @IsOptional() @IsString() OAUTH_GOOGLE_CLIENT_SECRET?: string;
  @IsUrl(URL_OPTIONS) OAUTH_GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
  @IsUrl(URL_OPTIONS) OAUTH_GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
  @IsUrl(URL_OPTIONS) OAUTH_GOOGLE_USERINFO_URL =
    'https://openidconnect.googleapis.com/v1/userinfo';

  /** The catalog file (tiers, prices, packs, features); operators may point at their own. */
  @IsString()
  @MinLength(1)
  CATALOG_PATH = 'config/catalog.json';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(90)
  GRACE_PERIOD_DAYS = 7;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  INTENT_TTL_MINUTES = 60;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  ENTITLEMENT_CACHE_TTL_SECONDS = 600;

  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['redis', 'rediss'] })
  RATE_LIMIT_REDIS_URL?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 30;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /**
   * Whose X-Forwarded-For is believed: `false` (the socket's address is the client's), a number
   * of proxy hops, or proxy addresses/CIDRs separated by commas. Never "trust everyone": the
   * left-most entry is whatever the client wrote.
   */
  @Matches(/^(false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message:
      'TRUST_PROXY must be false, a number of hops, or proxy addresses/CIDRs separated by commas',
  })
  TRUST_PROXY = 'false';

  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  @Transform(toBoolean)
  @IsBoolean()
  JOBS_ENABLED = true;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Comma-separated origins allowed by CORS; `*` allows any; unset or empty disables CORS. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;
}

export class InvalidEnvironmentError extends Error {}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
function withoutEmptyValues(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
}

/**
 * Parses and validates the process environment against the contract.
 * Throws one line per invalid variable, naming it and what is wrong.
 */
export function parseEnvironment(raw: Record<string, unknown>): Environment {
  const environment = plainToInstance(Environment, withoutEmptyValues(raw), {
    exposeDefaultValues: true,
  });
  const errors = validateSync(environment, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const problems = Object.values(error.constraints ?? {}).join('; ');
      return `Invalid configuration: ${error.property} ${problems.replace(`${error.property} `, '')}`;
    });
    throw new InvalidEnvironmentError(lines.join('\n'));
  }
  return environment;
}
