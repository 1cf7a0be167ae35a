import type { Transport } from './createTransport.js'

// Clients are plain objects whose public type hides the transport; actions find it here.
// A WeakMap rather than a property, so it shows in no enumeration, log or devtools.
const transports = new WeakMap<object, Transport>()

export function registerTransport(client: object, transport: Transport): void {
  transports.set(client, transport)
}

/** The transport of a client made by `createAccessPointClient`. */
export function getTransport(client: object): Transport {
  const transport = transports.get(client)
  if (!transport)
    throw new TypeError('Not an AccessPoint client: create one with createAccessPointClient().')
  return transport
}
