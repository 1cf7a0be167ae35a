// Config
export { ConfigError, type ConfigErrorType } from '../config/ConfigError.js'
export {
  type LoadConfigErrorType,
  type LoadConfigReturnType,
  loadConfig,
  type ServerConfig,
} from '../config/loadConfig.js'
export { defaultDataDir, migrationsDir, repositoryRoot, schemaPath } from '../config/paths.js'

// Server
export { type StartServerReturnType, startServer } from '../startServer.js'
