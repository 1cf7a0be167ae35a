import { expect, test } from 'vitest'
import * as testing from './testing.js'

test('exports', () => {
  expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
    [
      "addCharges",
      "startTestServer",
    ]
  `)
})
