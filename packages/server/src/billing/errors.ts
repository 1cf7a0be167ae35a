import { BaseError, formatUsd, type MicroUsd } from '@accesspoint/core'

// Clients see `shortMessage`. The amounts in it are the caller's own balance and prices, which
// they are entitled to; nothing else (SQL, hosts, other passes) goes there.

function passLabel(tokenId: bigint | undefined): string {
  return tokenId === undefined ? 'your pass' : `pass #${tokenId}`
}

export type InsufficientBalanceErrorParameters = {
  /** The least this request can cost (its worst case with the fewest output tokens allowed). */
  neededMicroUsd: MicroUsd
  /** credit − pending charges − open holds, never below zero. */
  availableMicroUsd: MicroUsd
  tokenId?: bigint | undefined
  cause?: unknown
}

export type InsufficientBalanceErrorType = InsufficientBalanceError & {
  name: 'InsufficientBalanceError'
}

/** The pass's available balance cannot cover even the smallest version of the request. */
export class InsufficientBalanceError extends BaseError {
  declare readonly code: 'INSUFFICIENT_BALANCE'
  readonly neededMicroUsd: MicroUsd
  readonly availableMicroUsd: MicroUsd

  constructor({
    neededMicroUsd,
    availableMicroUsd,
    tokenId,
    cause,
  }: InsufficientBalanceErrorParameters) {
    const shortfall = neededMicroUsd - availableMicroUsd
    super(
      `This request needs ${formatUsd(neededMicroUsd)}, available ${formatUsd(availableMicroUsd)}; ` +
        `add at least ${formatUsd(shortfall > 0n ? shortfall : 0n)} to ${passLabel(tokenId)}, or ask for fewer tokens.`,
      {
        code: 'INSUFFICIENT_BALANCE',
        cause,
        docsPath: '/errors#insufficient-balance',
        name: 'InsufficientBalanceError',
      },
    )
    this.neededMicroUsd = neededMicroUsd
    this.availableMicroUsd = availableMicroUsd
  }
}

export type CostCapExceededErrorParameters = {
  /** Worst-case cost with `outputTokens` output tokens. */
  worstCaseMicroUsd: MicroUsd
  capMicroUsd: MicroUsd
  inputTokensUpperBound: number
  /** The fewest output tokens a request may be clamped to. */
  outputTokens: number
}

export type CostCapExceededErrorType = CostCapExceededError & { name: 'CostCapExceededError' }

/** Even clamped to the fewest output tokens, the request's worst case is above the per-request cap. */
export class CostCapExceededError extends BaseError {
  declare readonly code: 'COST_CAP_EXCEEDED'
  readonly worstCaseMicroUsd: MicroUsd
  readonly capMicroUsd: MicroUsd

  constructor({
    worstCaseMicroUsd,
    capMicroUsd,
    inputTokensUpperBound,
    outputTokens,
  }: CostCapExceededErrorParameters) {
    super(
      `The worst-case cost of this request is ${formatUsd(worstCaseMicroUsd)} ` +
        `(up to ${inputTokensUpperBound} input tokens and ${outputTokens} output tokens), ` +
        `above the per-request cap of ${formatUsd(capMicroUsd)}; shorten the input.`,
      {
        code: 'COST_CAP_EXCEEDED',
        docsPath: '/errors#cost-cap-exceeded',
        name: 'CostCapExceededError',
      },
    )
    this.worstCaseMicroUsd = worstCaseMicroUsd
    this.capMicroUsd = capMicroUsd
  }
}

export type PaymentFailedErrorParameters = {
  /** What the last settlement could not collect. */
  debtMicroUsd: MicroUsd
  /**
   * The part of the debt that credit − pending − held does not cover yet, i.e. what a deposit
   * must add before the pass works again. Defaults to the whole debt.
   */
  amountDueMicroUsd?: MicroUsd | undefined
  /** What this request would hold once the debt is paid, so the message can name the total. */
  neededMicroUsd?: MicroUsd | undefined
  tokenId?: bigint | undefined
}

export type PaymentFailedErrorType = PaymentFailedError & { name: 'PaymentFailedError' }

/** The pass is suspended after a settlement shortfall until a deposit covers its debt. */
export class PaymentFailedError extends BaseError {
  declare readonly code: 'PAYMENT_FAILED'
  readonly debtMicroUsd: MicroUsd
  readonly amountDueMicroUsd: MicroUsd

  constructor({
    debtMicroUsd,
    amountDueMicroUsd = debtMicroUsd,
    neededMicroUsd,
    tokenId,
  }: PaymentFailedErrorParameters) {
    const label = passLabel(tokenId)
    const due = amountDueMicroUsd
    super(
      `${label[0]?.toUpperCase()}${label.slice(1)} is suspended: a settlement fell short by ${formatUsd(debtMicroUsd)}` +
        (due === debtMicroUsd ? '. ' : ` and ${formatUsd(due)} of it is not covered yet. `) +
        `Deposit at least ${formatUsd(due)} to settle it` +
        (neededMicroUsd === undefined
          ? '.'
          : `, plus ${formatUsd(neededMicroUsd)} for this request (${formatUsd(due + neededMicroUsd)} in all).`),
      {
        code: 'PAYMENT_FAILED',
        docsPath: '/errors#payment-failed',
        name: 'PaymentFailedError',
      },
    )
    this.debtMicroUsd = debtMicroUsd
    this.amountDueMicroUsd = due
  }
}

export type DuplicateRequestErrorParameters = { requestId: string }

export type DuplicateRequestErrorType = DuplicateRequestError & { name: 'DuplicateRequestError' }

/**
 * A hold already exists for this request id. Refused rather than answered with the existing
 * hold: a second request riding on the first one's hold would be served, and its capture would
 * find the entry already final and charge nothing.
 */
export class DuplicateRequestError extends BaseError {
  declare readonly code: 'CONFLICT'
  readonly requestId: string

  constructor({ requestId }: DuplicateRequestErrorParameters) {
    super(
      `Request id ${JSON.stringify(requestId)} was already used; send a new request id for a new request.`,
      { code: 'CONFLICT', docsPath: '/errors#conflict', name: 'DuplicateRequestError' },
    )
    this.requestId = requestId
  }
}

export type PassNotFoundErrorParameters = { passId: string }

export type PassNotFoundErrorType = PassNotFoundError & { name: 'PassNotFoundError' }

/** No Pass row with this id: the caller must create it (upsertPass) before billing it. */
export class PassNotFoundError extends BaseError {
  declare readonly code: 'NOT_FOUND'
  readonly passId: string

  constructor({ passId }: PassNotFoundErrorParameters) {
    super('The pass does not exist. Check the pass id or token id.', {
      code: 'NOT_FOUND',
      docsPath: '/errors#not-found',
      metaMessages: [`Pass id: ${passId}`],
      name: 'PassNotFoundError',
    })
    this.passId = passId
  }
}

export type ModelPriceNotFoundErrorParameters = { model: string }

export type ModelPriceNotFoundErrorType = ModelPriceNotFoundError & {
  name: 'ModelPriceNotFoundError'
}

/** The model has no price: requests for it cannot be billed, so they are refused. */
export class ModelPriceNotFoundError extends BaseError {
  declare readonly code: 'MODEL_NOT_FOUND'
  readonly model: string

  constructor({ model }: ModelPriceNotFoundErrorParameters) {
    // Bounded: the name comes from the request body.
    const shown = model.length > 64 ? `${model.slice(0, 64)}…` : model
    super(
      `Model ${JSON.stringify(shown)} is not available (it has no price). List the models and choose one of them.`,
      {
        code: 'MODEL_NOT_FOUND',
        docsPath: '/errors#model-not-found',
        name: 'ModelPriceNotFoundError',
      },
    )
    this.model = model
  }
}

export type BillingUnavailableErrorParameters = {
  /** What could not be done, for logs. */
  operation: string
  cause?: unknown
}

export type BillingUnavailableErrorType = BillingUnavailableError & {
  name: 'BillingUnavailableError'
}

/**
 * The database could not be reached to check or record a balance. The request is refused
 * (fail closed) rather than served unbilled.
 */
export class BillingUnavailableError extends BaseError {
  declare readonly code: 'SERVICE_UNAVAILABLE'

  constructor({ operation, cause }: BillingUnavailableErrorParameters) {
    super('Your balance cannot be checked right now. Try again shortly.', {
      code: 'SERVICE_UNAVAILABLE',
      cause,
      // Explicit, so the cause's message (which may name hosts or SQL) is never sent to clients.
      details: 'The billing database is unavailable.',
      docsPath: '/errors#service-unavailable',
      metaMessages: [`Operation: ${operation}`],
      name: 'BillingUnavailableError',
    })
  }
}

export type LedgerWriterClosedErrorType = LedgerWriterClosedError & {
  name: 'LedgerWriterClosedError'
}

/** A capture or release arrived after `close()`: the server is shutting down. */
export class LedgerWriterClosedError extends BaseError {
  declare readonly code: 'SERVICE_UNAVAILABLE'

  constructor() {
    super('The server is shutting down. Try again in a moment.', {
      code: 'SERVICE_UNAVAILABLE',
      details: 'The ledger writer is closed.',
      name: 'LedgerWriterClosedError',
    })
  }
}

export type ChargeNotRecordedErrorParameters = { requestId: string; cause?: unknown }

export type ChargeNotRecordedErrorType = ChargeNotRecordedError & {
  name: 'ChargeNotRecordedError'
}

/**
 * The database refused this one capture or release for good (a data error, not an outage). Its
 * hold stays open until `recoverOpenHolds` releases it; the rest of its batch was committed.
 */
export class ChargeNotRecordedError extends BaseError {
  declare readonly code: 'INTERNAL'
  readonly requestId: string

  constructor({ requestId, cause }: ChargeNotRecordedErrorParameters) {
    super('', {
      code: 'INTERNAL',
      cause,
      metaMessages: [`Request id: ${requestId}`],
      name: 'ChargeNotRecordedError',
    })
    this.requestId = requestId
  }
}
