import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AnvilNotFoundError, type AnvilNotFoundErrorType } from '../errors/devChain.js'

export type GetAnvilBinaryPathParameters = {
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform | undefined
  /** Defaults to `process.arch`. */
  arch?: NodeJS.Architecture | undefined
}

export type GetAnvilBinaryPathReturnType = string

export type GetAnvilBinaryPathErrorType = AnvilNotFoundErrorType

// `@foundry-rs/anvil`'s naming of the optional platform packages.
const cpus: Partial<Record<NodeJS.Architecture, string>> = { x64: 'amd64', arm64: 'arm64' }

/**
 * Finds the anvil executable shipped by the npm package `@foundry-rs/anvil`.
 *
 * The binary comes in an optional dependency per platform (`@foundry-rs/anvil-linux-amd64`, …).
 * It is resolved from `@foundry-rs/anvil` itself, because with pnpm only that package can see
 * its dependencies, and directly, so neither its JS wrapper nor its (blocked) postinstall is
 * needed.
 *
 * @throws {AnvilNotFoundError} When neither the platform package nor a downloaded binary exists.
 */
export function getAnvilBinaryPath(
  parameters: GetAnvilBinaryPathParameters = {},
): GetAnvilBinaryPathReturnType {
  const { platform = process.platform, arch = process.arch } = parameters
  const binaryName = platform === 'win32' ? 'anvil.exe' : 'anvil'
  const searched: string[] = []

  let anvilPackageJson: string
  try {
    anvilPackageJson = createRequire(import.meta.url).resolve('@foundry-rs/anvil/package.json')
  } catch (cause) {
    throw new AnvilNotFoundError({
      platform,
      arch,
      searched: ['@foundry-rs/anvil (not installed)'],
      cause,
    })
  }

  const cpu = cpus[arch]
  if (cpu) {
    const request = `@foundry-rs/anvil-${platform}-${cpu}/bin/${binaryName}`
    try {
      const path = createRequire(anvilPackageJson).resolve(request)
      if (existsSync(path)) return path
    } catch {
      // Not installed for this platform; try the download location below.
    }
    searched.push(request)
  }

  // Where `@foundry-rs/anvil`'s postinstall (and its `bin.mjs`) put a downloaded binary.
  const downloaded = join(dirname(anvilPackageJson), '..', 'dist', binaryName)
  if (existsSync(downloaded)) return downloaded
  searched.push(downloaded)

  throw new AnvilNotFoundError({ platform, arch, searched })
}
