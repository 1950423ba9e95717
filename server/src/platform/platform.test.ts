import { describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../db/schema.ts';
import { canonicalJson, sm3, sm4Decrypt, sm4Encrypt, sm4EncryptMany } from './crypto.ts';
import { withinRegion, regionScope } from './access.ts';
import { rowDigest, GENESIS_HASH } from './audit.ts';
import { loadConfig, ConfigError } from '../config.ts';
import type { Actor } from './actor.ts';

const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

describe('SM3 and SM4', () => {
  it('SM3 matches the GB/T 32905 test vector for "abc"', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('SM4 round-trips, uses a fresh IV each time, and refuses altered ciphertext', () => {
    const a = sm4Encrypt(key, '430522199001011234');
    const b = sm4Encrypt(key, '430522199001011234');
    expect(a).not.toBe(b);
    expect(sm4Decrypt(key, a)).toBe('430522199001011234');
    const raw = Buffer.from(a, 'base64url');
    raw[20] ^= 1;
    expect(() => sm4Decrypt(key, raw.toString('base64url'))).toThrow(/altered/);
  });

  it('SM4 of many values at once is the same CBC and MAC: each decrypts, each with its own IV', () => {
    // Lengths across the block boundaries: empty, short, 16, 18 (an ID number), 32, Chinese text.
    const values = ['', '1', '13800000001', 'abcdefghijklmnop', '430522199001011234', 'x'.repeat(32), '王秀英·阿卜杜'.repeat(3)];
    const sealed = sm4EncryptMany(key, [...values, ...values]);
    expect(sealed.map((c) => sm4Decrypt(key, c))).toEqual([...values, ...values]);
    expect(sealed.map((c) => c.length)).toEqual([...values, ...values].map((v) => sm4Encrypt(key, v).length));
    expect(new Set(sealed.map((c) => c.slice(0, 22))).size).toBe(sealed.length);
    expect(sm4EncryptMany(key, [])).toEqual([]);
  });
});

describe('audit digest', () => {
  const row = {
    at: new Date('2026-11-23T08:00:00.123Z'),
    actor_id: '1',
    actor_name: 'a',
    actor_role: 'admin',
    actor_region: '43',
    ip: '127.0.0.1',
    action: 'x',
    entity: 'y',
    entity_id: null,
    result: 'success',
    details: { b: 1, a: [1, { d: 2, c: 3 }] },
  };
  it('does not depend on the key order jsonb gives back', () => {
    const reordered = { ...row, details: { a: [1, { c: 3, d: 2 }], b: 1 } };
    expect(rowDigest(key, row, GENESIS_HASH).equals(rowDigest(key, reordered, GENESIS_HASH))).toBe(true);
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
  it('changes with any field and with the previous hash', () => {
    const base = rowDigest(key, row, GENESIS_HASH);
    expect(rowDigest(key, { ...row, entity_id: '2' }, GENESIS_HASH).equals(base)).toBe(false);
    expect(rowDigest(key, row, Buffer.alloc(32, 1)).equals(base)).toBe(false);
  });
});

describe('region scope', () => {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) });
  it('is one range condition with the code as a parameter, never spliced', () => {
    const compiled = db.selectFrom('account').selectAll().where(withinRegion('region_code', '430522')).compile();
    expect(compiled.sql).toContain('"region_code" >= $1 and "region_code" < $2');
    expect(compiled.parameters).toEqual(['430522', '430522~']);
    expect(compiled.sql).not.toContain('430522');
  });
  it('gives staff their subtree and other roles nothing by default', () => {
    const actor = (role: Actor['role']): Actor => ({
      id: '1',
      username: 'u',
      displayName: 'u',
      role,
      regionCode: '430522',
      regionLevel: 3,
      hostRegionCode: null,
      totpEnabled: false,
      ip: '',
    });
    expect(
      db
        .selectFrom('account')
        .selectAll()
        .where(regionScope(actor('village_officer'), 'region_code'))
        .compile().parameters,
    ).toEqual(['430522', '430522~']);
    expect(
      db
        .selectFrom('account')
        .selectAll()
        .where(regionScope(actor('employer'), 'region_code'))
        .compile().sql,
    ).toContain('false');
  });
  it('refuses something that is not a region code', () => {
    expect(() => withinRegion('region_code', "43' or 1=1")).toThrow();
  });
});

describe('configuration', () => {
  it('refuses bad values at start and demands secrets in production', () => {
    expect(() => loadConfig({ PORT: 'eighty', LAOWU_DATA_DIR: 'var/test' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', LAOWU_DATA_DIR: 'var/test' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', LAOWU_DATA_DIR: 'var/test-prod-nosecrets' })).toThrow(/missing secrets/);
    expect(() => loadConfig({ LAOWU_AUDIT_KEY: 'short', LAOWU_DATA_DIR: 'var/test' })).toThrow(ConfigError);
  });

  it('requires a second factor for admins in production unless told otherwise, and ends sessions after 12 hours', () => {
    const secrets = {
      LAOWU_AUDIT_KEY: '0'.repeat(32),
      LAOWU_IDENTIFIER_KEY: '1'.repeat(32),
      LAOWU_IDENTIFIER_INDEX_KEY: '2'.repeat(32),
      LAOWU_SMPP_HOST: 'smsc.example',
    };
    expect(loadConfig({ ...secrets, NODE_ENV: 'production', LAOWU_DATA_DIR: 'var/test-prod' }).requireTotpForAdmins).toBe(true);
    expect(
      loadConfig({ ...secrets, NODE_ENV: 'production', LAOWU_DATA_DIR: 'var/test-prod', LAOWU_REQUIRE_TOTP_FOR_ADMINS: 'false' })
        .requireTotpForAdmins,
    ).toBe(false);
    expect(loadConfig({ LAOWU_DATA_DIR: 'var/test' }).requireTotpForAdmins).toBe(false);
    expect(loadConfig({ LAOWU_DATA_DIR: 'var/test' }).sessionMaxHours).toBe(12);
    expect(loadConfig({ LAOWU_DATA_DIR: 'var/test', LAOWU_SESSION_MAX_HOURS: '8' }).sessionMaxHours).toBe(8);
    expect(() => loadConfig({ LAOWU_DATA_DIR: 'var/test', LAOWU_SESSION_MAX_HOURS: '0' })).toThrow(ConfigError);
  });
});
