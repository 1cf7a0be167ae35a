#!/bin/sh
# Stand-in for Prisma's native schema engine on machines that cannot download it.
# AccessPoint applies migrations with Prisma's wasm engine instead: `pnpm db:migrate`.
echo "The native Prisma schema engine is not installed on this machine (it could not be downloaded)." >&2
echo "Use 'pnpm db:migrate' and 'pnpm db:migration <name>', which run Prisma's wasm engine." >&2
exit 1
