import type { Address, Client, Log, Transport } from 'viem'
import { withTimeout } from 'viem'
import { getBlockNumber, getLogs } from 'viem/actions'

export type CreateChainWatcherParameters = {
  client: Client<Transport>
  /** Contracts whose logs are fetched, all in one `eth_getLogs` per new block range. */
  addresses: readonly Address[]
  pollingIntervalMs: number
  /** Per RPC call. */
  timeoutMs: number
  /**
   * A longer gap (after an outage) is not fetched: providers cap `eth_getLogs` ranges, and after
   * that long everything cached is suspect anyway, so the watcher reports a reset instead.
   */
  maxBlockRange?: bigint | undefined
  /** New logs, oldest first, for blocks `fromBlock..toBlock`. */
  onLogs(logs: Log[], range: { fromBlock: bigint; toBlock: bigint }): void
  /**
   * The watcher has no log history to vouch for what is cached: at its first block, and when
   * the chain rewound or moved further than `maxBlockRange` since the last poll.
   */
  onReset(reason: 'start' | 'rewind' | 'gap', blockNumber: bigint): void
  /** A poll failed; it is retried at the next interval. */
  onError(error: unknown): void
}

export type ChainWatcher = {
  /** Settles after the first poll, whether it succeeded or not; never rejects. */
  readonly ready: Promise<void>
  /** Stops polling and waits for a poll in progress to finish. */
  stop(): Promise<void>
}

export type CreateChainWatcherReturnType = ChainWatcher

export type CreateChainWatcherErrorType = never

/**
 * Polls a chain for new blocks and hands over the logs of the watched contracts, one
 * `eth_getLogs` per new block range. Failures go to `onError` and the next poll carries on
 * from the last block handed over, so an outage delays logs but loses none.
 */
export function createChainWatcher({
  client,
  addresses,
  pollingIntervalMs,
  timeoutMs,
  maxBlockRange = 1_000n,
  onLogs,
  onReset,
  onError,
}: CreateChainWatcherParameters): CreateChainWatcherReturnType {
  let lastBlock: bigint | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let polling: Promise<void> | undefined
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })

  const call = <data>(fn: () => Promise<data>) =>
    withTimeout(fn, {
      timeout: timeoutMs,
      errorInstance: new Error(`No answer within ${timeoutMs} ms.`),
    })

  async function poll() {
    const head = await call(() => getBlockNumber(client, { cacheTime: 0 }))
    if (stopped) return
    if (lastBlock === undefined || head < lastBlock || head - lastBlock > maxBlockRange) {
      const reason = lastBlock === undefined ? 'start' : head < lastBlock ? 'rewind' : 'gap'
      onReset(reason, head)
      lastBlock = head
      return
    }
    if (head === lastBlock || addresses.length === 0) {
      lastBlock = head
      return
    }
    const fromBlock = lastBlock + 1n
    const logs = await call(() =>
      getLogs(client, { address: [...addresses], fromBlock, toBlock: head }),
    )
    if (stopped) return
    onLogs(logs, { fromBlock, toBlock: head })
    // Only now: if handling the logs threw, the same range is fetched again next time.
    lastBlock = head
  }

  function run() {
    timer = undefined
    polling = poll()
      .catch((error: unknown) => {
        try {
          onError(error)
        } catch {
          // A throwing error handler must not stop the watcher or reject unhandled.
        }
      })
      .finally(() => {
        polling = undefined
        markReady()
        if (!stopped) timer = setTimeout(run, pollingIntervalMs).unref()
      })
  }

  run()

  return {
    ready,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await polling
      markReady()
    },
  }
}
