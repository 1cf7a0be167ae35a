/**
 * A random key (UUID v4 form) that makes a retried `ai.complete` / `ai.stream` safe: the server
 * answers a repeat with the first result and charges once.
 */
export function createIdempotencyKey(): string {
  // randomUUID exists only in secure contexts (https, localhost); a dapp served over plain
  // http on a LAN still needs keys.
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID()
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
