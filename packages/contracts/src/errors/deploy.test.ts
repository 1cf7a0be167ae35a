import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { ContractDeploymentError } from './deploy.js'

const transactionHash = `0x${'ab'.repeat(32)}` as const

test('reverted on-chain', () => {
  const error = new ContractDeploymentError({
    contractName: 'AccessPass',
    transactionHash,
    reason: 'reverted',
  })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: 'ContractDeploymentError',
    shortMessage: 'Deploying AccessPass failed: the transaction reverted.',
    contractName: 'AccessPass',
    errorName: undefined,
    transactionHash,
  })
  expect(error.message).toContain(`Transaction: ${transactionHash}`)
})

test('reverted in simulation with a custom error', () => {
  const cause = new Error('execution reverted')
  const error = new ContractDeploymentError({
    contractName: 'AccessPass',
    reason: 'reverted',
    errorName: 'ZeroAddress',
    cause,
  })
  expect(error).toMatchObject({
    shortMessage: 'Deploying AccessPass failed: the constructor reverted with ZeroAddress.',
    errorName: 'ZeroAddress',
    transactionHash: undefined,
    cause,
  })
  expect(error.message).not.toContain('Transaction:')
})

test('no address', () => {
  const error = new ContractDeploymentError({
    contractName: 'MockUSDC',
    transactionHash,
    reason: 'no-address',
  })
  expect(error.shortMessage).toBe('Deploying MockUSDC failed: the receipt has no contract address.')
})
