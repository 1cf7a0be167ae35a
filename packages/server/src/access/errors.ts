import { BaseError, errorCodes } from '@accesspoint/core'

export type ChainUnavailableErrorParameters = {
  chainId: number
  /**
   * What went wrong, for logs only (never sent to clients). Must not contain the RPC URL, which
   * can embed an API key: pass it through `describeRpcError`.
   */
  reason?: string | undefined
}

export type ChainUnavailableErrorType = ChainUnavailableError & { name: 'ChainUnavailableError' }

/**
 * On-chain facts needed to decide access are stale or missing and the chain's RPC did not
 * answer, so access is refused rather than guessed (fail closed).
 */
export class ChainUnavailableError extends BaseError {
  declare readonly code: 'CHAIN_UNAVAILABLE'
  readonly chainId: number
  /** For logs only; see {@link ChainUnavailableErrorParameters}. */
  readonly reason: string | undefined

  constructor({ chainId, reason }: ChainUnavailableErrorParameters) {
    super(errorCodes.CHAIN_UNAVAILABLE.message, {
      code: 'CHAIN_UNAVAILABLE',
      // Clients see this; it names the chain and nothing about how it is reached.
      details: `Chain ${chainId} could not be read.`,
      docsPath: '/errors#chain-unavailable',
      metaMessages: reason ? [`Reason: ${reason}`] : undefined,
      name: 'ChainUnavailableError',
    })
    this.chainId = chainId
    this.reason = reason
  }
}
