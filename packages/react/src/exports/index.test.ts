import { expect, test } from 'vitest'
import * as entry from './index.js'

test('exports', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "AccessPointProvider",
      "useAccess",
      "useAccessPointClient",
      "useApiKeys",
      "useBalance",
      "useChatStream",
      "useCompletion",
      "useModels",
      "useSession",
      "useSignIn",
      "useSignOut",
      "useSpendHistory",
      "useUsage",
    ]
  `)
})
