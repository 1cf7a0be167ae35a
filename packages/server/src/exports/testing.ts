// A whole local AccessPoint (dev chain, embedded database, dev provider) for integration tests of
// clients and apps, and captured charges written directly (settlement tests and benchmarks).
// Node only; kept out of the main entry.
export { type AddChargesParameters, addCharges } from '../testing/addCharges.js'
export {
  type StartTestServerParameters,
  type StartTestServerReturnType,
  startTestServer,
} from '../testing/startTestServer.js'
