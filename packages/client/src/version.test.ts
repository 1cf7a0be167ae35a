import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { version } from './version.js'

test('equals package.json', async () => {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
  expect(version).toBe(manifest.version)
})
