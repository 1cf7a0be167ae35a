// Node-only parts, kept out of the main entry so browser bundles never see `node:` imports or
// the EventSource ponyfill.

/**
 * The `eventsource` package's EventSource: it sends headers through `fetch`, so streams can
 * carry the bearer token. The client loads it in Node by itself; pass it as `EventSource` to
 * make that explicit, or in a browser to stream with headers.
 */
export { EventSource } from 'eventsource'
export {
  type FileStorageParameters,
  type FileStorageReturnType,
  fileStorage,
} from '../storage/fileStorage.js'
