import { expect, test } from 'vitest'
import { getMulticall3Address } from './getMulticall3Address.js'

test('known chains have Multicall3; anvil has none', () => {
  expect(getMulticall3Address({ chainId: 1 })).toBe('0xca11bde05977b3631167028862be2a173976ca11')
  expect(getMulticall3Address({ chainId: 8453 })?.toLowerCase()).toBe(
    '0xca11bde05977b3631167028862be2a173976ca11',
  )
  expect(getMulticall3Address({ chainId: 31337 })).toBeUndefined()
  // Claimed by several networks with different deployments: deployless is the safe choice.
  expect(getMulticall3Address({ chainId: 999 })).toBeUndefined()
})
