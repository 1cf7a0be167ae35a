import type { Address } from 'viem'
import { createConnector, mock } from 'wagmi'

/** Where the app remembers which dev account is connected (in wagmi's storage, `wagmi.` + key). */
const connectedKey = 'devAccount.connected'

export function devConnectorId(index: number): string {
  return `dev-${index}`
}

/**
 * One anvil account as a wallet, for the dev chain: wagmi's `mock` connector, which signs
 * `personal_sign` by sending `eth_sign` to the chain's RPC URL (anvil holds the keys unlocked) and
 * sends transactions there too, so no browser extension is needed.
 *
 * Each account is its own connector with its own id and name, so wagmi's `recentConnectorId`
 * names the right one. `mock` only remembers that it is connected in memory, so after a page
 * reload its `isAuthorized` would say no and wagmi would not reconnect: this wrapper remembers the
 * connected account in wagmi's storage instead, and a reload comes back with the same account.
 */
export function devAccountConnector(index: number, address: Address) {
  const id = devConnectorId(index)
  const createMock = mock({ accounts: [address], features: { reconnect: true } })
  return createConnector((config) => {
    const base = createMock(config)
    const remember = (value: string | null) =>
      value === null
        ? config.storage?.removeItem(connectedKey)
        : config.storage?.setItem(connectedKey, value)
    return {
      ...base,
      id,
      name: `Dev account ${index}`,
      // `mock`'s methods call each other through `this`; they are called on `base` here, which has
      // them all, while wagmi calls these on the wrapper.
      connect: (async (parameters) => {
        const result = await base.connect(parameters)
        await remember(id)
        return result
      }) as typeof base.connect,
      async disconnect() {
        await base.disconnect()
        if ((await config.storage?.getItem(connectedKey)) === id) await remember(null)
      },
      async isAuthorized() {
        return (await config.storage?.getItem(connectedKey)) === id
      },
    }
  })
}
