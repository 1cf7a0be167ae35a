import { getContractAddress } from 'viem'
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts'
import { anvil } from 'viem/chains'
import { expect, test } from 'vitest'
import { anvilChainId, anvilMnemonic, devAccounts, devChainAddresses } from './constants.js'

test('anvilChainId is viem’s anvil chain', () => {
  expect(anvilChainId).toBe(anvil.id)
})

test('devAccounts derive from the mnemonic', () => {
  expect(devAccounts).toHaveLength(10)
  devAccounts.forEach(({ address, privateKey }, addressIndex) => {
    expect(mnemonicToAccount(anvilMnemonic, { addressIndex }).address).toBe(address)
    expect(privateKeyToAccount(privateKey).address).toBe(address)
  })
})

test('devChainAddresses are account 0’s first two deployments', () => {
  const from = devAccounts[0].address
  expect(devChainAddresses).toEqual({
    usdc: getContractAddress({ from, nonce: 0n }),
    accessPass: getContractAddress({ from, nonce: 1n }),
  })
})
