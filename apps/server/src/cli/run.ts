import { existsSync } from 'node:fs'
import { isBaseError } from '@accesspoint/core'
import { loadConfig, type ServerConfig } from '../config/loadConfig.js'
import { repositoryRoot } from '../config/paths.js'

/** Runs a CLI command with the server's config; errors print as messages, not stack traces. */
export async function run(command: (config: ServerConfig) => Promise<void>): Promise<void> {
  const envFile = `${repositoryRoot}.env`
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  try {
    await command(loadConfig())
  } catch (error) {
    console.error(isBaseError(error) ? error.message : String(error))
    process.exitCode = 1
  }
}
