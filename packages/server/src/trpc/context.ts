import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/createDatabase.js'
import type { DiscoveryDocument } from '../http/getDiscoveryDocument.js'

/** What every procedure receives. Built once per HTTP request. */
export type Context = {
  requestId: string
  log: FastifyBaseLogger
  database: Database
  discovery: DiscoveryDocument
}
