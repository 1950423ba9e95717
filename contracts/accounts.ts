import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, RoleSchema, Strict } from './common.ts';
import { PasswordSchema, RegionRefSchema, UsernameSchema } from './auth.ts';

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  region: RegionRefSchema,
  hostRegion: Type.Union([RegionRefSchema, Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  totpEnabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Account = Static<typeof AccountSchema>;

export const AccountListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  role: Type.Optional(RoleSchema),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  ...PageQuery,
});

export const CreateAccountBody = Strict({
  username: UsernameSchema,
  displayName: Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  password: PasswordSchema,
  role: RoleSchema,
  regionCode: RegionCodeSchema,
  hostRegionCode: Type.Optional(RegionCodeSchema),
});

/** At least one field: an empty change is a mistake, not a no-op. */
export const UpdateAccountBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ResetPasswordBody = Strict({ newPassword: PasswordSchema });
export const GrantableRolesSchema = Type.Object({ roles: Type.Array(RoleSchema) });
