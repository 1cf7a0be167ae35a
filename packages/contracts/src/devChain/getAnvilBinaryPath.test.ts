import { execFileSync } from 'node:child_process'
import { isAbsolute } from 'node:path'
import { expect, test } from 'vitest'
import { AnvilNotFoundError } from '../errors/devChain.js'
import { getAnvilBinaryPath } from './getAnvilBinaryPath.js'

test('finds the binary of this platform', () => {
  const path = getAnvilBinaryPath()
  expect(isAbsolute(path)).toBe(true)
  expect(execFileSync(path, ['--version'], { encoding: 'utf8' })).toMatch(/^anvil Version: \d/)
})

test('fails clearly for a platform without a binary', () => {
  expect(() => getAnvilBinaryPath({ platform: 'aix', arch: 'ppc64' })).toThrow(AnvilNotFoundError)
  expect(() => getAnvilBinaryPath({ platform: 'aix', arch: 'ppc64' })).toThrow(
    'No anvil binary found for aix-ppc64.',
  )
})
