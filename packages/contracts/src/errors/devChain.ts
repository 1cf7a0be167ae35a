import { BaseError } from './base.js'

export type AnvilNotFoundErrorParameters = {
  platform: string
  arch: string
  /** Paths that were tried, in order. */
  searched: readonly string[]
  cause?: unknown
}

export type AnvilNotFoundErrorType = AnvilNotFoundError & { name: 'AnvilNotFoundError' }

/** No anvil binary for this platform could be found in `@foundry-rs/anvil`'s packages. */
export class AnvilNotFoundError extends BaseError {
  constructor({ platform, arch, searched, cause }: AnvilNotFoundErrorParameters) {
    super(`No anvil binary found for ${platform}-${arch}.`, {
      cause,
      metaMessages: [
        'Searched:',
        ...searched.map((path) => `  ${path}`),
        'Reinstall with `pnpm install` (the platform binary comes in an optional dependency of',
        '`@foundry-rs/anvil`), or pass `binaryPath` to use another anvil, e.g. from foundryup.',
      ],
      docsPath: '/contracts#dev-chain',
      name: 'AnvilNotFoundError',
    })
  }
}

export type DevChainPortInUseErrorParameters = {
  host: string
  port: number
}

export type DevChainPortInUseErrorType = DevChainPortInUseError & {
  name: 'DevChainPortInUseError'
}

/**
 * The dev chain's port is taken, e.g. by another anvil or a node left running. Raised instead of
 * attaching to whatever listens there, whose state nobody here controls.
 */
export class DevChainPortInUseError extends BaseError {
  readonly host: string
  readonly port: number

  constructor({ host, port }: DevChainPortInUseErrorParameters) {
    super(`Cannot start the dev chain: ${host}:${port} is already in use.`, {
      metaMessages: [
        `Stop the process listening there (e.g. \`lsof -i :${port}\`), or choose another`,
        'port; `port: 0` picks a free one.',
      ],
      docsPath: '/contracts#dev-chain',
      name: 'DevChainPortInUseError',
    })
    this.host = host
    this.port = port
  }
}

export type DevChainStartErrorParameters = {
  /** What went wrong, completing "Cannot start the dev chain: …". */
  reason: string
  /** The last lines anvil printed, if any. */
  output?: string | undefined
  cause?: unknown
}

export type DevChainStartErrorType = DevChainStartError & { name: 'DevChainStartError' }

/** Anvil did not start, did not answer in time, or the contracts could not be set up on it. */
export class DevChainStartError extends BaseError {
  constructor({ reason, output, cause }: DevChainStartErrorParameters) {
    super(`Cannot start the dev chain: ${reason}`, {
      cause,
      metaMessages: output ? ['Anvil output:', ...output.split('\n').map((l) => `  ${l}`)] : [],
      docsPath: '/contracts#dev-chain',
      name: 'DevChainStartError',
    })
  }
}
