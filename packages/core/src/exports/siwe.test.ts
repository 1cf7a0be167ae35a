import { expect, test } from 'vitest'
import * as siwe from './siwe.js'

test('exports', () => {
  expect(Object.keys(siwe).sort()).toMatchInlineSnapshot(`
    [
      "InvalidSiweMessageError",
      "SiweChainUnsupportedError",
      "SiweDomainMismatchError",
      "SiweExpiredError",
      "SiweNonceInvalidError",
      "SiweNotYetValidError",
      "createSiweMessage",
      "generateSiweNonce",
      "parseSiweMessage",
      "siweMessageMaxLength",
      "validateSiweMessage",
    ]
  `)
})
