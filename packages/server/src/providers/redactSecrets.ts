export type RedactSecretsParameters = {
  text: string
  /** Exact strings to blank out, such as the configured API key. */
  secrets?: readonly string[] | undefined
}

export type RedactSecretsReturnType = string

export type RedactSecretsErrorType = never

const keyPattern = /\b(?:sk|pk|rk|key)-[\w*-]{6,}/gi
const bearerPattern = /\b(Bearer\s+)\S+/gi
const userinfoPattern = /\/\/[^/\s:@]+:[^/\s@]+@/g

/**
 * Removes `secrets` and anything shaped like a key (`sk-…`, `Bearer …`, `user:pass@` in a URL)
 * from upstream text before it is kept for logs. Providers echo keys back: OpenAI's 401 message
 * quotes the key with its middle masked.
 */
export function redactSecrets({
  text,
  secrets = [],
}: RedactSecretsParameters): RedactSecretsReturnType {
  // Patterns first, so a key shape is blanked whole rather than around a secret inside it.
  let out = text
    .replace(keyPattern, '[redacted]')
    .replace(bearerPattern, '$1[redacted]')
    .replace(userinfoPattern, '//[redacted]@')
  // Short "secrets" would blank out ordinary words.
  for (const secret of secrets) if (secret.length >= 8) out = out.replaceAll(secret, '[redacted]')
  return out
}
