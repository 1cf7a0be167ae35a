import { expect, test } from 'vitest'
import { formatTable } from './formatTable.js'

test('aligns columns, amounts to the right, with a rule above the totals', () => {
  expect(
    formatTable({
      headers: ['pass', 'amount'],
      rows: [
        ['#1', '$1.50'],
        ['#12', '$10.00'],
      ],
      footer: [['2', '$11.50']],
      alignRight: [1],
    }),
  ).toBe(
    [
      'pass  amount',
      '----  ------',
      '#1     $1.50',
      '#12   $10.00',
      '----  ------',
      '2     $11.50',
    ].join('\n'),
  )
})
