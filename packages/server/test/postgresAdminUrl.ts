/** The PostgreSQL server tests create their databases on (trust auth, see README). */
export const postgresAdminUrl =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
