// Bundled by esbuild for the browser in clientBundle.test.ts: @accesspoint/client as a dapp or a
// browser-hosted bot uses it, with viem's local account and localStorage for the session.
import {
  AccessPointError,
  createAccessPointClient,
  localStorageStorage,
  ModelNotFoundError,
} from '@accesspoint/client'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

export type RunReturnType = {
  signatures: number
  address: string
  roles: string[]
  completion: { text: string; costMicroUsd: string }
  stream: { deltas: number; text: string; costMicroUsd: string; outputTokens: number }
  error: { isAccessPointError: boolean; isModelNotFound: boolean; code: string | undefined }
}

async function run(privateKey: Hex): Promise<RunReturnType> {
  const account = privateKeyToAccount(privateKey)
  let signatures = 0
  const client = createAccessPointClient({
    url: window.location.origin,
    account: {
      ...account,
      signMessage: (parameters) => {
        signatures++
        return account.signMessage(parameters)
      },
    },
    storage: localStorageStorage(),
  })
  const me = await client.me()
  const completion = await client.complete({
    model: 'dev-mini',
    messages: [{ role: 'user', content: 'Hello from Chromium' }],
    maxTokens: 8,
  })
  let deltas = 0
  let text = ''
  let done: { costMicroUsd: bigint; outputTokens: number } | undefined
  for await (const event of client.stream({
    model: 'dev-mini',
    messages: [{ role: 'user', content: 'Stream to Chromium' }],
    maxTokens: 12,
  })) {
    if (event.type === 'delta') {
      deltas++
      text += event.text
    } else done = { costMicroUsd: event.costMicroUsd, outputTokens: event.usage.outputTokens }
  }
  if (!done) throw new Error('the stream ended without its final event')
  const error = await client
    .complete({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
    .then(
      () => undefined,
      (error: unknown) => error,
    )
  return {
    signatures,
    address: me.address,
    roles: me.roles,
    completion: { text: completion.text, costMicroUsd: String(completion.costMicroUsd) },
    stream: {
      deltas,
      text,
      costMicroUsd: String(done.costMicroUsd),
      outputTokens: done.outputTokens,
    },
    error: {
      isAccessPointError: error instanceof AccessPointError,
      isModelNotFound: error instanceof ModelNotFoundError,
      code: error instanceof AccessPointError ? error.code : undefined,
    },
  }
}

Object.assign(window, { accessPoint: { run } })
