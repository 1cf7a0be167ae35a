import { BaseError, errorCodes } from '@accesspoint/core'
import { expect, test } from 'vitest'
import {
  BillingUnavailableError,
  ChargeNotRecordedError,
  CostCapExceededError,
  DuplicateRequestError,
  InsufficientBalanceError,
  LedgerWriterClosedError,
  ModelPriceNotFoundError,
  PassNotFoundError,
  PaymentFailedError,
} from './errors.js'

test('InsufficientBalanceError says what is needed, what is available and what to add', () => {
  const error = new InsufficientBalanceError({
    neededMicroUsd: 12_300n,
    availableMicroUsd: 4_000n,
    tokenId: 3n,
  })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({ name: 'InsufficientBalanceError', status: 402 })
  expect(error.toJSON()).toStrictEqual({
    code: 'INSUFFICIENT_BALANCE',
    message:
      'This request needs $0.0123, available $0.004; add at least $0.0083 to pass #3, or ask for fewer tokens.',
    docsPath: '/errors#insufficient-balance',
  })
  expect(
    new InsufficientBalanceError({ neededMicroUsd: 1n, availableMicroUsd: 0n }).shortMessage,
  ).toContain('to your pass')
})

test('PaymentFailedError names the debt and the total to deposit', () => {
  expect(new PaymentFailedError({ debtMicroUsd: 2_500_000n, tokenId: 9n }).toJSON()).toStrictEqual({
    code: 'PAYMENT_FAILED',
    message:
      'Pass #9 is suspended: a settlement fell short by $2.50. Deposit at least $2.50 to settle it.',
    docsPath: '/errors#payment-failed',
  })
  // A deposit that covers part of the debt: only the rest is due.
  const partly = new PaymentFailedError({
    debtMicroUsd: 40_000n,
    amountDueMicroUsd: 20_000n,
    neededMicroUsd: 10_000n,
    tokenId: 4n,
  })
  expect(partly).toMatchObject({ debtMicroUsd: 40_000n, amountDueMicroUsd: 20_000n, status: 402 })
  expect(partly.shortMessage).toBe(
    'Pass #4 is suspended: a settlement fell short by $0.04 and $0.02 of it is not covered yet. ' +
      'Deposit at least $0.02 to settle it, plus $0.01 for this request ($0.03 in all).',
  )
})

test('CostCapExceededError is a 422 that tells the user to shorten the input', () => {
  const error = new CostCapExceededError({
    worstCaseMicroUsd: 1_500_000n,
    capMicroUsd: 1_000_000n,
    inputTokensUpperBound: 600_000,
    outputTokens: 16,
  })
  expect(error).toMatchObject({ code: 'COST_CAP_EXCEEDED', status: 422 })
  expect(error.shortMessage).toBe(
    'The worst-case cost of this request is $1.50 (up to 600000 input tokens and 16 output tokens), above the per-request cap of $1.00; shorten the input.',
  )
})

test('codes and statuses', () => {
  const cases = [
    [new DuplicateRequestError({ requestId: 'r1' }), 'CONFLICT', 409],
    [new PassNotFoundError({ passId: 'p' }), 'NOT_FOUND', 404],
    [new ModelPriceNotFoundError({ model: 'x'.repeat(100) }), 'MODEL_NOT_FOUND', 404],
    [new BillingUnavailableError({ operation: 'place a hold' }), 'SERVICE_UNAVAILABLE', 503],
    [new LedgerWriterClosedError(), 'SERVICE_UNAVAILABLE', 503],
    [new ChargeNotRecordedError({ requestId: 'r1' }), 'INTERNAL', 500],
  ] as const
  for (const [error, code, status] of cases) {
    expect(error).toBeInstanceOf(BaseError)
    expect(error).toMatchObject({ code, status })
    expect(errorCodes[code].status).toBe(status)
  }
  expect(new ModelPriceNotFoundError({ model: 'x'.repeat(100) }).shortMessage.length).toBeLessThan(
    160,
  )
})

test('a database cause stays in logs, never in what clients see', () => {
  const error = new BillingUnavailableError({
    operation: 'place a hold',
    cause: new Error('connect ECONNREFUSED db.internal:5432'),
  })
  expect(error.message).toContain('Operation: place a hold')
  expect(JSON.stringify(error)).not.toContain('db.internal')
  expect(error.toJSON()).toStrictEqual({
    code: 'SERVICE_UNAVAILABLE',
    message: 'Your balance cannot be checked right now. Try again shortly.',
    details: 'The billing database is unavailable.',
    docsPath: '/errors#service-unavailable',
  })
  const internal = new ChargeNotRecordedError({ requestId: 'r1', cause: new Error('SQL …') })
  expect(JSON.stringify(internal)).not.toContain('SQL')
})
