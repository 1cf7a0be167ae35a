import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { version } from './version.js'

test('version matches package.json', async () => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
  expect(version).toBe(pkg.version)
})
