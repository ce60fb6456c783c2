import { startEmbeddedPostgres } from './server/db/embedded'
import { migrateDeploy } from './server/db/migrate'
import { createDb } from './server/db/client'
import { seedDemo } from './server/seed/demo'
import { seedRecords } from './server/seed/records'
const e = await startEmbeddedPostgres(process.argv[2] ? { dataDir: process.argv[2] } : {})
await migrateDeploy(e.url)
const db = createDb(e.url)
const { tenants } = await seedDemo(db)
const s = performance.now(); let last = s
await seedRecords(db, tenants[0]!.id, { customers: 30000, onProgress: (d) => { if (d % 2000 === 0) console.log(d, Math.round(performance.now() - last)); last = performance.now() } })
console.log('total', performance.now() - s)
await db.$disconnect(); await e.stop()
