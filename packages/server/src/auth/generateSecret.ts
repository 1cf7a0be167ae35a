import { randomBytes } from 'node:crypto'

export type GenerateSecretParameters = {
  /** Makes the secret recognisable (and findable by secret scanners), e.g. `ap_live_`. */
  prefix: string
}

/** A bearer secret: the prefix and 256 random bits in base64url (43 characters). */
export function generateSecret({ prefix }: GenerateSecretParameters): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}
