import { isBaseError } from '@accesspoint/core'
import { loadConfig, type ServerConfig } from '../config/loadConfig.js'
import { loadEnvFile } from '../config/loadEnvFile.js'

/** Runs a CLI command with the server's config; errors print as messages, not stack traces. */
export async function run(command: (config: ServerConfig) => Promise<void>): Promise<void> {
  loadEnvFile()
  try {
    await command(loadConfig())
  } catch (error) {
    console.error(isBaseError(error) ? error.message : String(error))
    process.exitCode = 1
  }
}
