import { BaseError } from '@accesspoint/core'

export type ConfigErrorType = ConfigError & { name: 'ConfigError' }

/** The environment does not describe a server we can start; each line names a variable and a fix. */
export class ConfigError extends BaseError {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super('Invalid configuration.', {
      code: 'INVALID_INPUT',
      docsPath: '/configuration',
      metaMessages: [...problems, '', 'See .env.example for every variable.'],
      name: 'ConfigError',
    })
    this.problems = problems
  }
}
