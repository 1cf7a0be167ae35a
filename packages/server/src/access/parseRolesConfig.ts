import { InvalidInputError, type InvalidInputIssue } from '@accesspoint/core'
import { type Address, getAddress, type Hex, isAddress, maxUint256 } from 'viem'
import { z } from 'zod'
import { toRoleHash } from './toRoleHash.js'
import type { RoleRule, RolesConfig } from './types.js'

/** The roles config as read from JSON (or the JSON text itself). */
export type ParseRolesConfigParameters = unknown

export type ParseRolesConfigReturnType = RolesConfig

export type ParseRolesConfigErrorType = InvalidInputError

const addressSchema = z.string().transform((value, ctx): Address => {
  // Strict: a mixed-case address with a bad checksum is more likely a typo than intent.
  if (isAddress(value)) return getAddress(value)
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: `"${value}" is not an address. Use 0x followed by 40 hex digits, checksummed or all lower case.`,
  })
  return z.NEVER
})

function wholeNumberSchema({ min, example }: { min: bigint; example: string }) {
  const message = `Must be a whole number ≥ ${min} as a decimal string (e.g. "${example}") or a JSON number up to 2^53.`
  return z
    .union([z.string(), z.number(), z.bigint()], { error: message })
    .transform((value, ctx) => {
      const parsed =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number'
            ? Number.isSafeInteger(value)
              ? BigInt(value)
              : undefined
            : /^\d+$/.test(value)
              ? BigInt(value)
              : undefined
      if (parsed !== undefined && parsed >= min && parsed <= maxUint256) return parsed
      ctx.issues.push({ code: 'custom', input: value, message })
      return z.NEVER
    })
}

const chainIdSchema = z
  .number({ error: 'Must be the chain id as a JSON number, e.g. 1 or 31337.' })
  .int({ error: 'Must be a whole number, e.g. 1 or 31337.' })
  .positive({ error: 'Must be a positive chain id, e.g. 1 or 31337.' })

const roleSchema = z.string().transform((value, ctx): Hex => {
  try {
    return toRoleHash(value)
  } catch {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `"${value}" is not a role. Use a name like "MINTER_ROLE" or "DEFAULT_ADMIN_ROLE", or a bytes32 hex (0x + 64 hex digits).`,
    })
    return z.NEVER
  }
})

const minBalanceSchema = wholeNumberSchema({ min: 1n, example: '1' }).optional()

const leafRuleSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('erc721'),
      chainId: chainIdSchema,
      contract: addressSchema,
      minBalance: minBalanceSchema,
    }),
    z.strictObject({
      type: z.literal('erc1155'),
      chainId: chainIdSchema,
      contract: addressSchema,
      tokenId: wholeNumberSchema({ min: 0n, example: '1' }),
      minBalance: minBalanceSchema,
    }),
    z.strictObject({
      type: z.literal('accessControl'),
      chainId: chainIdSchema,
      contract: addressSchema,
      role: roleSchema,
    }),
    z.strictObject({
      type: z.literal('allowlist'),
      addresses: z.array(addressSchema, { error: 'Must be an array of addresses.' }),
    }),
  ],
  {
    error:
      'A rule needs "type": "erc721", "erc1155", "accessControl" or "allowlist", or is { "any": [rules] } or { "all": [rules] }.',
  },
)

function combinatorSchema(key: 'any' | 'all') {
  return z.strictObject({
    [key]: z
      .array(roleRuleSchema, { error: `"${key}" must be an array of rules.` })
      // `all: []` would grant the role to everyone, `any: []` to no one: both are mistakes.
      .min(1, { error: `"${key}" must list at least one rule.` }),
  })
}

// Dispatched by hand rather than with `z.union`, whose error for a bad member is only
// "Invalid input"; this way the issues point at the field to fix.
const roleRuleSchema: z.ZodType<RoleRule> = z.unknown().transform((value, ctx) => {
  const schema =
    typeof value === 'object' && value !== null && 'any' in value
      ? combinatorSchema('any')
      : typeof value === 'object' && value !== null && 'all' in value
        ? combinatorSchema('all')
        : leafRuleSchema
  const result = schema.safeParse(value)
  if (result.success) return stripUndefined(result.data) as RoleRule
  for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as never)
  return z.NEVER
})

const rolesConfigSchema = z.record(z.string().regex(/^[A-Za-z0-9_.:-]+$/), roleRuleSchema, {
  error: (issue) =>
    issue.code === 'invalid_type'
      ? 'The roles config must be an object mapping role names to rules.'
      : issue.code === 'invalid_key'
        ? 'Role names use letters, digits, "_", ".", ":" or "-", e.g. "holder" or "admin".'
        : undefined,
})

/**
 * Validates a roles config (role name → rule) and normalises it: addresses checksummed, counts
 * and token ids as `bigint` (from decimal strings or numbers), AccessControl roles as bytes32
 * (a name like `MINTER_ROLE` is hashed).
 */
export function parseRolesConfig(json: ParseRolesConfigParameters): ParseRolesConfigReturnType {
  let value = json
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json)
    } catch (cause) {
      throw new InvalidInputError('The roles config is not valid JSON.', {
        cause,
        metaMessages: ['Check quotes and commas, e.g. with `jq . roles.json`.'],
      })
    }
  }
  const result = rolesConfigSchema.safeParse(value)
  if (result.success) return result.data
  const issues: InvalidInputIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path) || '(roles config)',
    message: issue.message,
  }))
  throw new InvalidInputError('The roles config is invalid. Fix the issues listed below.', {
    issues,
  })
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('')
}

// With `exactOptionalPropertyTypes`, an omitted `minBalance` must stay absent, not `undefined`.
function stripUndefined<value extends object>(value: value): value {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as value
}
