import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** The database connection budget, from configuration (db/pools.ts builds the pools from it). */
export interface PoolSettings {
  /** Connections for requests (LAOWU_DB_POOL_SIZE). */
  poolSize: number;
  /** Connections for a request's parallel read-only figures (LAOWU_DB_READER_POOL_SIZE). */
  readerPoolSize: number;
  /** Connections for background work (LAOWU_DB_BACKGROUND_POOL_SIZE). */
  backgroundPoolSize: number;
  /** Longest wait for a request's connection before a 503 (LAOWU_DB_ACQUIRE_TIMEOUT_MS). */
  acquireTimeoutMs: number;
  /** statement_timeout of request sessions (LAOWU_DB_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
  /** statement_timeout of background sessions (LAOWU_DB_BACKGROUND_STATEMENT_TIMEOUT_MS). */
  backgroundStatementTimeoutMs: number;
  /** idle_in_transaction_session_timeout of every application session (LAOWU_DB_IDLE_TX_TIMEOUT_MS). */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  poolSize: 10,
  readerPoolSize: 4,
  backgroundPoolSize: 4,
  acquireTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  backgroundStatementTimeoutMs: 600_000,
  idleInTransactionTimeoutMs: 60_000,
};

/**
 * One validated configuration, read from the environment once at start.
 * Secrets never have a default in the code: they come from the environment,
 * or (outside production) from a per-installation file generated on first start
 * under the data directory with mode 0600.
 */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Root of everything this installation writes (embedded database, generated secrets, uploads). */
  dataDir: string;
  /** External PostgreSQL; when absent the embedded server is used. */
  databaseUrl?: string;
  /**
   * The owner's connection to an external PostgreSQL, for migrations and grants
   * (LAOWU_MIGRATION_DATABASE_URL); DATABASE_URL is then the application's own, unprivileged role.
   */
  migrationDatabaseUrl?: string;
  embeddedPgPort: number;
  /** The application's database connections and their bounds (db/pools.ts; README "Sizing the pools"). */
  db: PoolSettings;
  secrets: {
    /** HMAC-SM3 key chaining the audit log. */
    auditKey: Buffer;
    /** SM4 key encrypting identifiers at rest. */
    identifierKey: Buffer;
    /** HMAC-SM3 key of the blind index used for exact lookup of identifiers. */
    identifierIndexKey: Buffer;
  };
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in however busy it is (its absolute lifetime). */
  sessionMaxHours: number;
  /**
   * 等保 level 3 asks for two factors for staff: when true, admins must enrol a TOTP before using the console.
   * On by default in production (LAOWU_REQUIRE_TOTP_FOR_ADMINS=false turns it off there, knowingly).
   */
  requireTotpForAdmins: boolean;
  /** Body limit in bytes for JSON requests. */
  bodyLimit: number;
  /** Collection-form imports run at once, platform-wide; the others wait in a queue (LAOWU_IMPORT_CONCURRENCY, default 2). */
  importConcurrency: number;
  logLevel: string;
  /**
   * Identifiers looked up at fairs' doors per account (issue 15: the door is not an identity
   * oracle): per minute, and per China-time day.
   */
  fairLookups: { perMinute: number; perDay: number };
  /** A township is flagged on its county's 工作台 when its employed fell month on month by more than this share (issue 20 item 2). */
  declineAlertShare: number;
  /**
   * 量化考核: how long the province's assessment figures, once computed, are reused before a read
   * recomputes them in the background (LAOWU_ASSESSMENT_REUSE_MINUTES; 0: every read computes).
   */
  assessmentReuseMs: number;
  /** 点对点短信: the SMPP gateway, its limits, and the local SMSC of the demo and the tests (modules/sms). */
  sms: SmsConfig;
}

export interface SmsConfig {
  /** Which carrier protocol: SMPP 3.4 (international SMSCs, clouds' SMPP doors) or China Mobile's CMPP 2.0/3.0. */
  protocol: 'smpp' | 'cmpp';
  /** The CMPP ISMG and the SP's identity there (used when protocol is cmpp). */
  cmpp: {
    host: string;
    port: number;
    /** Source_Addr: the SP's enterprise code (企业代码), 6 characters. */
    sourceAddr: string;
    /** Undefined: not configured (and no local ISMG). */
    sharedSecret: string | undefined;
    version: 0x20 | 0x30;
    serviceId: string;
    /** The access number (接入号) the phone shows as the sender. */
    srcId: string;
    window: number;
  };
  smppHost: string;
  smppPort: number;
  systemId: string;
  /** Undefined: no gateway configured (no local SMSC either): campaigns queue and nothing is sent. */
  password: string | undefined;
  /** Submits in flight without their response. */
  window: number;
  /** Messages per second through the gateway. */
  ratePerSecond: number;
  /** Start the local SMSC (modules/sms/gateway/local-smsc.ts; for CMPP local-ismg.ts) on the protocol's port and send through it. */
  localSmsc: boolean;
  /** The 【signature】 carriers require, without the brackets. */
  signature: string;
  /** Where the mobile page is reached from a phone: short links are built on it. */
  publicUrl: string;
  /** A submit's absolute validity: the gateway answers with a final receipt within it. */
  validitySeconds: number;
  /** China-time hours in which nothing is sent: [from, to), e.g. 21–8; null when off. */
  quietHours: { from: number; to: number } | null;
  /** Notices per number per China-time day across campaigns. */
  dailyCap: number;
  /** Sign-in codes of the mobile page per hour, all numbers together: a flood cannot spend the SMS budget. */
  mobileCodesPerHour: number;
}

export class ConfigError extends Error {}

const SECRET_NAMES = {
  auditKey: 'LAOWU_AUDIT_KEY',
  identifierKey: 'LAOWU_IDENTIFIER_KEY',
  identifierIndexKey: 'LAOWU_IDENTIFIER_INDEX_KEY',
} as const;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A share strictly between 0 and 1, written as a decimal (0.05). */
function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^0?\.\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0 && value < 1)) throw new ConfigError(`${name} must be a decimal between 0 and 1 (e.g. 0.05), got "${raw}"`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Keys are 32 hex characters (128 bits: SM4's key size; also used as HMAC-SM3 keys). */
function parseKey(name: string, raw: string): Buffer {
  if (!/^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{64}$/.test(raw)) {
    throw new ConfigError(`${name} must be 32 or 64 hexadecimal characters`);
  }
  return Buffer.from(raw, 'hex');
}

function loadSecrets(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): Config['secrets'] {
  const file = path.join(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
  const missing = Object.values(SECRET_NAMES).filter((name) => !env[name] && !stored[name]);
  if (missing.length > 0) {
    if (production) throw new ConfigError(`missing secrets in production: ${missing.join(', ')}`);
    for (const name of missing) stored[name] = randomBytes(16).toString('hex');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  const pick = (name: string) => parseKey(name, env[name] || stored[name]);
  return {
    auditKey: pick(SECRET_NAMES.auditKey),
    identifierKey: pick(SECRET_NAMES.identifierKey),
    identifierIndexKey: pick(SECRET_NAMES.identifierIndexKey),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const dataDir = path.resolve(env.LAOWU_DATA_DIR || path.join(process.cwd(), 'var'));
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const migrationDatabaseUrl = env.LAOWU_MIGRATION_DATABASE_URL || undefined;
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    throw new ConfigError('LAOWU_MIGRATION_DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (migrationDatabaseUrl && !databaseUrl)
    throw new ConfigError("LAOWU_MIGRATION_DATABASE_URL needs DATABASE_URL (the application role's connection)");
  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    migrationDatabaseUrl,
    embeddedPgPort: int(env, 'LAOWU_PG_PORT', 54329, 1024, 65535),
    db: {
      poolSize: int(env, 'LAOWU_DB_POOL_SIZE', 10, 2, 500),
      readerPoolSize: int(env, 'LAOWU_DB_READER_POOL_SIZE', 4, 1, 200),
      backgroundPoolSize: int(env, 'LAOWU_DB_BACKGROUND_POOL_SIZE', 4, 2, 100),
      acquireTimeoutMs: int(env, 'LAOWU_DB_ACQUIRE_TIMEOUT_MS', 5_000, 100, 120_000),
      statementTimeoutMs: int(env, 'LAOWU_DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
      backgroundStatementTimeoutMs: int(env, 'LAOWU_DB_BACKGROUND_STATEMENT_TIMEOUT_MS', 600_000, 1_000, 86_400_000),
      idleInTransactionTimeoutMs: int(env, 'LAOWU_DB_IDLE_TX_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
    },
    secrets: loadSecrets(env, dataDir, nodeEnv === 'production'),
    sessionIdleMinutes: int(env, 'LAOWU_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: int(env, 'LAOWU_SESSION_MAX_HOURS', 12, 1, 30 * 24),
    requireTotpForAdmins: bool(env, 'LAOWU_REQUIRE_TOTP_FOR_ADMINS', nodeEnv === 'production'),
    bodyLimit: int(env, 'LAOWU_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    importConcurrency: int(env, 'LAOWU_IMPORT_CONCURRENCY', 2, 1, 16),
    // Request logs in production; a quiet console for the demo and tests (LOG_LEVEL overrides).
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : nodeEnv === 'production' ? 'info' : 'warn'),
    // Two full door batches (200) a minute; a day of a busy desk several times over.
    fairLookups: {
      perMinute: int(env, 'LAOWU_FAIR_LOOKUPS_PER_MINUTE', 400, 1, 1_000_000),
      perDay: int(env, 'LAOWU_FAIR_LOOKUPS_PER_DAY', 5000, 1, 10_000_000),
    },
    declineAlertShare: fraction(env, 'LAOWU_DECLINE_ALERT_SHARE', 0.05),
    // Ten minutes; the tests see every write at once unless a test asks for reuse.
    assessmentReuseMs: int(env, 'LAOWU_ASSESSMENT_REUSE_MINUTES', nodeEnv === 'test' ? 0 : 10, 0, 1440) * 60_000,
    sms: smsConfig(env, nodeEnv === 'production'),
  };
}

function smsConfig(env: NodeJS.ProcessEnv, production: boolean): SmsConfig {
  // The local SMSC is the demo's and the tests' gateway; never in production, never with a real one configured.
  const protocol = (env.LAOWU_SMS_PROTOCOL || 'smpp').toLowerCase();
  if (protocol !== 'smpp' && protocol !== 'cmpp') throw new ConfigError(`LAOWU_SMS_PROTOCOL must be smpp or cmpp, got "${protocol}"`);
  const localSmsc = bool(env, 'LAOWU_LOCAL_SMSC', !production && !(protocol === 'cmpp' ? env.LAOWU_CMPP_HOST : env.LAOWU_SMPP_HOST));
  if (localSmsc && production) throw new ConfigError('LAOWU_LOCAL_SMSC cannot be used with NODE_ENV=production');
  const quiet = env.LAOWU_SMS_QUIET_HOURS ?? '21-8';
  let quietHours: SmsConfig['quietHours'] = null;
  if (!/^(off|none)$/i.test(quiet)) {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(quiet);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 23)
      throw new ConfigError(`LAOWU_SMS_QUIET_HOURS must be like 21-8 or off, got "${quiet}"`);
    quietHours = { from: Number(m[1]), to: Number(m[2]) };
  }
  const signature = env.LAOWU_SMS_SIGNATURE || '湖南人社';
  if (!/^[\u4e00-\u9fa5A-Za-z0-9]{2,12}$/.test(signature))
    throw new ConfigError('LAOWU_SMS_SIGNATURE must be 2-12 Chinese characters, letters or digits');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const cmppVersion = env.LAOWU_CMPP_VERSION || '3.0';
  if (cmppVersion !== '2.0' && cmppVersion !== '3.0') throw new ConfigError(`LAOWU_CMPP_VERSION must be 2.0 or 3.0, got "${cmppVersion}"`);
  const sourceAddr = env.LAOWU_CMPP_SP_ID || '901234';
  if (!/^[0-9A-Za-z]{1,6}$/.test(sourceAddr)) throw new ConfigError('LAOWU_CMPP_SP_ID must be up to 6 letters or digits (企业代码)');
  const srcId = env.LAOWU_CMPP_SRC_ID || '106900001234';
  if (!/^\d{1,21}$/.test(srcId)) throw new ConfigError('LAOWU_CMPP_SRC_ID must be up to 21 digits (接入号)');
  const serviceId = env.LAOWU_CMPP_SERVICE_ID || 'LAOWU';
  if (!/^[0-9A-Za-z]{0,10}$/.test(serviceId)) throw new ConfigError('LAOWU_CMPP_SERVICE_ID must be up to 10 letters or digits');
  return {
    protocol,
    cmpp: {
      host: env.LAOWU_CMPP_HOST || '127.0.0.1',
      port: int(env, 'LAOWU_CMPP_PORT', 7890, 0, 65535),
      sourceAddr,
      // The local ISMG gets a secret made for this process; a real ISMG's comes from the environment only.
      sharedSecret: env.LAOWU_CMPP_SECRET || (localSmsc && protocol === 'cmpp' ? randomBytes(6).toString('hex') : undefined),
      version: cmppVersion === '2.0' ? 0x20 : 0x30,
      serviceId,
      srcId,
      window: int(env, 'LAOWU_CMPP_WINDOW', 16, 1, 1000),
    },
    smppHost: env.LAOWU_SMPP_HOST || '127.0.0.1',
    smppPort: int(env, 'LAOWU_SMPP_PORT', 2775, 0, 65535),
    systemId: env.LAOWU_SMPP_SYSTEM_ID || 'laowu',
    // The local SMSC gets a password made for this process; a real gateway's comes from the environment only.
    password: env.LAOWU_SMPP_PASSWORD || (localSmsc ? randomBytes(6).toString('hex') : undefined),
    window: int(env, 'LAOWU_SMPP_WINDOW', 50, 1, 1000),
    ratePerSecond: int(env, 'LAOWU_SMS_RATE', 600, 1, 100_000),
    localSmsc,
    signature,
    publicUrl: (env.LAOWU_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    validitySeconds: int(env, 'LAOWU_SMS_VALIDITY_SECONDS', 3600, 2, 7 * 86_400),
    quietHours,
    dailyCap: int(env, 'LAOWU_SMS_DAILY_CAP', 50, 1, 1000),
    mobileCodesPerHour: int(env, 'LAOWU_MOBILE_CODES_PER_HOUR', 3000, 1, 1_000_000),
  };
}
