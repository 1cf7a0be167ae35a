export type EventQueue<T> = AsyncIterableIterator<T> & {
  push(value: T): void
  /** Ends the iteration after the values already pushed. */
  end(): void
  /** Ends it with `error`, thrown after the values already pushed. */
  fail(error: unknown): void
}

/**
 * A one-reader async queue: a producer pushes as events arrive, the reader iterates at its own
 * pace (nothing is dropped). `onReturn` runs when the reader stops early (`break`).
 */
export function createEventQueue<T>(onReturn: () => void): EventQueue<T> {
  const values: T[] = []
  let done = false
  let failure: { error: unknown } | undefined
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const queue: EventQueue<T> = {
    push(value) {
      if (done) return
      values.push(value)
      notify()
    },
    end() {
      done = true
      notify()
    },
    fail(error) {
      if (done) return
      failure = { error }
      done = true
      notify()
    },
    async next(): Promise<IteratorResult<T, undefined>> {
      for (;;) {
        if (values.length > 0) return { value: values.shift() as T, done: false }
        if (failure) {
          const { error } = failure
          failure = undefined
          throw error
        }
        if (done) return { value: undefined, done: true }
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    },
    async return(): Promise<IteratorResult<T, undefined>> {
      if (!done) {
        done = true
        values.length = 0
        onReturn()
      }
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return queue
    },
  }
  return queue
}
