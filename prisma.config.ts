// Prisma CLI configuration. The CLI is only used offline (generate, migrate) through
// scripts/ that point PRISMA_SCHEMA_ENGINE_BINARY at our WebAssembly stand-in
// (docs/decisions/002-prisma-offline.md). The URL is a placeholder for `generate`,
// which needs one but never connects. SHADOW_DATABASE_URL is set only by
// scripts/db-new-migration.ts when it runs on the embedded database, which cannot create
// a second database for `migrate dev`'s shadow database.
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/pulse8',
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
})
