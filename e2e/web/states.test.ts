import { describe, expect, inject, test } from 'vitest'
import {
  ask,
  availableMicroUsd,
  connectDevAccount,
  countSignatures,
  waitForBalance,
} from '../support/dapp.js'
import { openPage, useBrowser } from '../support/openPage.js'

describe('the demo dapp for wallets that cannot pay', () => {
  const browser = useBrowser()

  test('dev account 4 holds no pass: the no-access state says what to do', async (context) => {
    const { page, errors } = await openPage(browser(), context)
    await connectDevAccount(page, inject('webUrl'), 4)
    await page.getByTestId('sign-in').click()
    const state = page.getByTestId('state-no-access')
    await state.waitFor()
    expect(await state.textContent()).toMatch(/pass/i)
    expect(await page.getByTestId('prompt-input').count()).toBe(0)
    // The server answers the refused sign-in with 403; that is the state shown, not a page error.
    expect(errors.filter((error) => !/403/.test(error))).toEqual([])
  })

  test('dev account 3 ($0.01) hits insufficient balance, tops up on the dev chain, then asks', async (context) => {
    const { page, errors } = await openPage(browser(), context)
    await connectDevAccount(page, inject('webUrl'), 3)
    await page.getByTestId('sign-in').click()
    await page.getByTestId('balance-available').waitFor()
    const before = await availableMicroUsd(page)
    expect(before).toBeLessThanOrEqual(10_000n)

    // The priciest model with a long prompt needs more than $0.01 up front.
    await ask(page, 'dev-pro', `Summarise this order book: ${'bid 1.00 ask 1.01 '.repeat(400)}`)
    const state = page.getByTestId('state-insufficient-balance')
    await state.waitFor()
    expect(await state.textContent()).toMatch(/\$0\.01/)

    await page.getByTestId('top-up').click()
    // The deposit lands on-chain; the server's chain watcher picks it up and the balance grows.
    await waitForBalance(page, (now) => now >= before + 10_000_000n)

    const answer = await ask(page, 'dev-pro', 'Now a short answer, please.')
    await answer.getByTestId('answer-cost').waitFor()
    // The failed request is a 402 the page shows as a state, not an error of the page itself.
    expect(errors.filter((error) => !/402/.test(error))).toEqual([])
  })

  test('dev account 2: a session ended on the server shows as expired; signing in again recovers', async (context) => {
    const webUrl = inject('webUrl')
    const { page, errors } = await openPage(browser(), context)
    const signatures = countSignatures(page)
    await connectDevAccount(page, webUrl, 2)
    await page.getByTestId('sign-in').click()
    await page.getByTestId('roles').waitFor()

    // Ended behind the page's back, as an admin's revocation or a sign-out elsewhere would.
    const token = await page.evaluate(() => {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i)
        if (key?.startsWith('accesspoint:session:v1:'))
          return (JSON.parse(localStorage.getItem(key) ?? '{}') as { token?: string }).token
      }
      return undefined
    })
    expect(token).toMatch(/^ap_sess_/)
    const signedOut = await fetch(`${webUrl}/trpc/auth.signOut`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(signedOut.status).toBe(200)

    // The next request finds out: the page says so instead of asking the wallet by itself.
    await page.reload()
    await page.getByTestId('state-session-expired').waitFor()
    expect(signatures()).toBe(1)
    await page.getByTestId('sign-in').click()
    await page.getByTestId('roles').waitFor()
    expect(signatures()).toBe(2)
    // The refused request is a 401 the page turns into that state.
    expect(errors.filter((error) => !/401/.test(error))).toEqual([])
  })
})
