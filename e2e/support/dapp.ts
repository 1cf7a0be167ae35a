import type { Page } from 'playwright-core'
import { expect } from 'vitest'

// Helpers for driving the demo dapp (apps/web) through its stable test ids.

/**
 * Counts the wallet signatures the page asks for: wagmi's mock connector sends `personal_sign` as
 * `eth_sign` to the chain's RPC (the dapp's `/rpc` proxy to anvil), so every one crosses the wire.
 */
export function countSignatures(page: Page): () => number {
  let count = 0
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/rpc')) return
    const body = request.postData() ?? ''
    count += (body.match(/"method":"(eth_sign|personal_sign)"/g) ?? []).length
  })
  return () => count
}

export async function connectDevAccount(page: Page, webUrl: string, account: number) {
  await page.goto(webUrl)
  await page.getByTestId(`dev-account-${account}`).click()
  await page.getByTestId('wallet-address').waitFor()
}

/** The available balance the page shows, in micro-USD. */
export async function availableMicroUsd(page: Page): Promise<bigint> {
  const value = await page.getByTestId('balance-available').getAttribute('data-micro-usd')
  if (value === null) throw new Error('balance-available has no data-micro-usd')
  return BigInt(value)
}

/** Waits until the shown balance satisfies `predicate` (balances refetch after each request). */
export async function waitForBalance(page: Page, predicate: (microUsd: bigint) => boolean) {
  await expect
    .poll(async () => predicate(await availableMicroUsd(page)), { timeout: 30_000 })
    .toBe(true)
}

/** Sends `prompt` to `model` in the chat and returns the last assistant bubble. */
export async function ask(page: Page, model: string, prompt: string) {
  await page.getByTestId('nav-chat').click()
  await page.getByTestId('model-select').selectOption(model)
  await page.getByTestId('prompt-input').fill(prompt)
  await page.getByTestId('send').click()
  return page.getByTestId('message-assistant').last()
}
