// A whole local AccessPoint (dev chain, embedded database, dev provider) for integration tests of
// clients and apps. Node only; kept out of the main entry.
export {
  type StartTestServerParameters,
  type StartTestServerReturnType,
  startTestServer,
} from '../testing/startTestServer.js'
