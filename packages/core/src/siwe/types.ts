/**
 * The fields of a Sign-In with Ethereum (EIP-4361) message, named as in the reference `siwe`
 * library. Timestamps stay the exact RFC 3339 strings of the message: converting them to `Date`
 * would lose the offset and precision, and the message would no longer re-serialise to the bytes
 * the wallet signed.
 */
export type SiweMessage = {
  /** RFC 3986 authority (`host[:port]`, optionally `userinfo@`) asking for the sign-in. */
  domain: string
  /** EIP-55 checksummed address of the signer. */
  address: `0x${string}`
  /** One line the user agrees to. `''` (an empty statement line) differs from no statement. */
  statement?: string
  /** RFC 3986 URI of the resource the user signs in to. */
  uri: string
  version: '1'
  /** EIP-155 chain id, e.g. `1` for Ethereum mainnet. */
  chainId: number
  /** At least 8 letters or digits, issued by the server to prevent replay. */
  nonce: string
  /** RFC 3339 date-time, e.g. `'2021-09-30T16:25:24Z'`. */
  issuedAt: string
  /** RFC 3339 date-time after which the message is no longer valid. */
  expirationTime?: string
  /** RFC 3339 date-time before which the message is not valid yet. */
  notBefore?: string
  /** Any string of URI path characters (RFC 3986 `pchar`), possibly empty. */
  requestId?: string
  /** RFC 3986 URIs; `[]` (a `Resources:` line with no items) differs from no resources. */
  resources?: string[]
  /** URI scheme of the requesting origin, written before the domain (`https://example.com …`). */
  scheme?: string
}
