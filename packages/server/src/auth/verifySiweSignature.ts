import {
  type Address,
  type Hex,
  isAddressEqual,
  type PublicClient,
  recoverMessageAddress,
} from 'viem'
import { describeRpcError } from '../access/describeRpcError.js'
import { ChainUnavailableError } from '../access/errors.js'

export type VerifySiweSignatureParameters = {
  address: Address
  /** The exact signed EIP-4361 text. */
  message: string
  signature: Hex
  /** A client on the message's chain, for contract wallets; without one only EOAs verify. */
  client?: PublicClient | undefined
  /** The message's chain id, named in errors. */
  chainId?: number | undefined
}

export type VerifySiweSignatureReturnType = boolean
export type VerifySiweSignatureErrorType = ChainUnavailableError

/**
 * Whether `signature` signs `message` for `address`: a plain account (ECDSA), an EIP-1271
 * contract wallet or an EIP-6492 wallet that is not deployed yet.
 *
 * ECDSA recovery runs first, locally: most wallets are EOAs and they then need no RPC round trip
 * (viem's `verifyMessage` always makes an `eth_call`). Anything else goes to viem's verifier on
 * the message's chain.
 */
export async function verifySiweSignature({
  address,
  message,
  signature,
  client,
  chainId = client?.chain?.id ?? 0,
}: VerifySiweSignatureParameters): Promise<VerifySiweSignatureReturnType> {
  try {
    const recovered = await recoverMessageAddress({ message, signature })
    if (isAddressEqual(recovered, address)) return true
  } catch {
    // Not a 65-byte ECDSA signature: an EIP-1271 or EIP-6492 one, or garbage.
  }
  if (!client) return false
  let valid: boolean
  try {
    valid = await client.verifyMessage({ address, message, signature })
  } catch (error) {
    throw new ChainUnavailableError({ chainId, reason: describeRpcError(error) })
  }
  if (valid) return true
  // viem also answers false when the eth_call itself failed (it wraps every call error), so an
  // unreachable RPC would look like a bad signature. Ask the chain once more to tell them apart.
  try {
    await client.getBlockNumber({ cacheTime: 0 })
  } catch (error) {
    throw new ChainUnavailableError({ chainId, reason: describeRpcError(error) })
  }
  return false
}
