import { expect, test } from 'vitest'
import * as devChain from './devChain.js'

test('exports', () => {
  expect(Object.keys(devChain).sort()).toMatchInlineSnapshot(`
    [
      "AnvilNotFoundError",
      "DevChainPortInUseError",
      "DevChainStartError",
      "getAnvilBinaryPath",
      "startDevChain",
    ]
  `)
})
