import { expect, test } from 'vitest'
import * as entry from './node.js'

test('exports', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "EventSource",
      "fileStorage",
    ]
  `)
})
