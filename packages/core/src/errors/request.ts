import { BaseError, type BaseErrorParameters } from './base.js'
import { errorCodes } from './codes.js'

/** One problem with an input: where it is (e.g. `usage.inputTokens`) and what is wrong. */
export type InvalidInputIssue = { path: string; message: string }

export type InvalidInputErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'> & {
  issues?: readonly InvalidInputIssue[] | undefined
}

export type InvalidInputErrorType = InvalidInputError & { name: 'InvalidInputError' }

/** Input that fails validation; `issues` lists each problem. */
export class InvalidInputError extends BaseError {
  declare readonly code: 'INVALID_INPUT'
  readonly issues: readonly InvalidInputIssue[]

  constructor(
    shortMessage: string = errorCodes.INVALID_INPUT.message,
    { issues = [], metaMessages = [], ...args }: InvalidInputErrorParameters = {},
  ) {
    super(shortMessage, {
      ...args,
      code: 'INVALID_INPUT',
      metaMessages: [
        ...(issues.length ? ['Issues:', ...issues.map((i) => `- ${i.path}: ${i.message}`)] : []),
        ...metaMessages,
      ],
      name: 'InvalidInputError',
    })
    this.issues = issues
  }
}

export type NotFoundErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type NotFoundErrorType = NotFoundError & { name: 'NotFoundError' }

/** A resource that does not exist, or that the caller may not know exists. */
export class NotFoundError extends BaseError {
  declare readonly code: 'NOT_FOUND'

  constructor(
    shortMessage: string = errorCodes.NOT_FOUND.message,
    args: NotFoundErrorParameters = {},
  ) {
    super(shortMessage, { ...args, code: 'NOT_FOUND', name: 'NotFoundError' })
  }
}
