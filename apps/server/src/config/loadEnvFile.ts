import { existsSync } from 'node:fs'
import { repositoryRoot } from './paths.js'

/** Loads `.env` at the repository root into process.env, if there is one (the server and CLIs). */
export function loadEnvFile(): void {
  const envFile = `${repositoryRoot}.env`
  if (existsSync(envFile)) process.loadEnvFile(envFile)
}
