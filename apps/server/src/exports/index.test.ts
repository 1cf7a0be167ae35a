import { expect, test } from 'vitest'
import * as app from './index.js'

test('exports', () => {
  expect(Object.keys(app).sort()).toMatchInlineSnapshot(`
    [
      "ConfigError",
      "defaultDataDir",
      "loadConfig",
      "migrationsDir",
      "repositoryRoot",
      "schemaPath",
      "startServer",
    ]
  `)
})
