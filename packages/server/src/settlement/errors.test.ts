import { BaseError, errorCodes } from '@accesspoint/core'
import { expect, test } from 'vitest'
import {
  SettlementChainUnavailableError,
  SettlementMismatchError,
  SettlementRejectedError,
} from './errors.js'

test('SettlementChainUnavailableError: what failed and that nothing is lost, no URL', () => {
  const error = new SettlementChainUnavailableError({
    chainId: 8453,
    operation: 'getTransactionReceipt',
    reason: 'rpc',
    description: 'HttpRequestError: HTTP request failed. (HTTP 503)',
  })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({ code: 'CHAIN_UNAVAILABLE', status: 503, reason: 'rpc' })
  expect(error.shortMessage).toBe(
    'Settlement stopped: the RPC of chain 8453 did not answer (getTransactionReceipt) after several attempts. ' +
      'Check the RPC endpoint and run again. Batches already written are resumed by the next run; nothing is lost.',
  )
  expect(error.message).toContain('Last failure: HttpRequestError')
  expect(error.toJSON()).toStrictEqual({
    code: 'CHAIN_UNAVAILABLE',
    message: error.shortMessage,
    details: 'Chain 8453 could not be reached.',
    docsPath: '/errors#chain-unavailable',
  })
  expect(
    new SettlementChainUnavailableError({
      chainId: 1,
      operation: 'getChainId',
      reason: 'circuit-open',
      retryAfterSeconds: 42,
    }).shortMessage,
  ).toContain('circuit breaker is open; try again in 42 s.')
})

test('SettlementRejectedError and SettlementMismatchError are operator errors', () => {
  const rejected = new SettlementRejectedError({
    chainId: 1,
    contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    account: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    reason: 'insufficient funds for gas',
    fix: 'Send native currency to this key for gas.',
  })
  expect(rejected).toMatchObject({ code: 'INTERNAL', status: errorCodes.INTERNAL.status })
  expect(rejected.shortMessage).toContain('(insufficient funds for gas). Send native currency')
  const mismatch = new SettlementMismatchError({
    batchId: '0xab',
    reason: '2 Settled events for 3 items',
  })
  expect(mismatch).toMatchObject({ code: 'INTERNAL', batchId: '0xab' })
  expect(mismatch.shortMessage).toContain('(2 Settled events for 3 items)')
})
