import { expect, test } from 'vitest'
import { parseSettleArguments } from './parseSettleArguments.js'

test.each([
  [[], 'settle'],
  [['--dry-run'], 'dry-run'],
  [['--', '--reconcile'], 'reconcile'],
  [['-h'], 'help'],
] as const)('%j is %s', (args, mode) => {
  expect(parseSettleArguments(args)).toEqual({ mode })
})

test('unknown options and both modes at once are refused with the usage', () => {
  expect(() => parseSettleArguments(['--force'])).toThrow('Unknown option --force.')
  expect(() => parseSettleArguments(['--dry-run', '--reconcile'])).toThrow(
    '--dry-run and --reconcile do not go together',
  )
})
