import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { queryScope } from './queryScope.js'

test('names the server and the caller; only defined values', () => {
  expect(queryScope(stubClient())).toEqual({
    url: 'https://ai.example.com',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  })
  expect(
    queryScope(stubClient({ address: undefined, apiKeyPrefix: 'ap_live_abcdefgh' }), 'bot-1'),
  ).toEqual({ url: 'https://ai.example.com', apiKeyPrefix: 'ap_live_abcdefgh', scopeKey: 'bot-1' })
})
