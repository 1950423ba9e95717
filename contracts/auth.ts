import { Type, type Static } from '@sinclair/typebox';
import { RegionLevelSchema, RoleSchema, Strict } from './common.ts';

export const UsernameSchema = Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$', description: '3–32 位字母、数字、下划线、点或连字符' });
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 128 });

export const LoginBody = Strict({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: PasswordSchema,
  totp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
});

export const RegionRefSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  level: RegionLevelSchema,
});

export const MeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  region: RegionRefSchema,
  hostRegion: Type.Union([RegionRefSchema, Type.Null()]),
  totpEnabled: Type.Boolean(),
  /** Set when configuration requires a second factor for this account and none is enrolled yet. */
  totpSetupRequired: Type.Boolean(),
});
export type Me = Static<typeof MeSchema>;

export const ChangePasswordBody = Strict({ oldPassword: PasswordSchema, newPassword: PasswordSchema });
export const TotpSetupSchema = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });
export const TotpCodeBody = Strict({ code: Type.String({ pattern: '^\\d{6}$' }) });
export const TotpDisableBody = Strict({
  password: PasswordSchema,
  code: Type.String({ pattern: '^\\d{6}$', description: '当前的动态验证码' }),
});
