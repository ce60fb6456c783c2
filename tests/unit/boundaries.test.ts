// The import-boundary rules (.dependency-cruiser.cjs) bite: one planted violation per rule, in a
// scratch tree laid out like the repo, must be reported under that rule's name, and the allowed
// imports next to them must not be. `npm run lint` runs the same rules over the real tree.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = resolve(import.meta.dirname, '../..')

const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022' } }),
  'server/trpc/init.ts': 'export const procedure = 1\n',
  'server/crm/internal.ts': 'export const internal = 1\nexport type Row = { id: string }\n',
  'server/crm/record-counts.ts': 'export const countRecords = 1\n',
  // trpc-only-in-the-api-layer + domains-do-not-call-the-api-layer
  'server/crm/planted-api.ts': "import { procedure } from '../trpc/init'\nexport const a = procedure\n",
  // config-language-is-pure
  'server/config-language/planted-io.ts': "import { readFileSync } from 'node:fs'\nexport const b = readFileSync\n",
  // kernel-stands-alone
  'server/kernel/planted.ts': "import { internal } from '../crm/internal'\nexport const c = internal\n",
  // realtime-knows-no-domain
  'server/realtime/planted.ts': "import { internal } from '../crm/internal'\nexport const d = internal\n",
  // domains-talk-through-services (internal: refused; record-counts, a service: allowed)
  'server/config/planted.ts':
    "import { internal } from '../crm/internal'\nimport { countRecords } from '../crm/record-counts'\nexport const e = [internal, countRecords]\n",
  // ui-imports-server-types-only (a value import: refused; a type import: allowed)
  'app/planted.ts':
    "import { internal } from '../server/crm/internal'\nimport type { Row } from '../server/crm/internal'\nexport const f: Row | number = internal\n",
  // no-cycles
  'server/db/cycle-a.ts': "import { bValue } from './cycle-b'\nexport const aValue = () => bValue\n",
  'server/db/cycle-b.ts': "import { aValue } from './cycle-a'\nexport const bValue = () => aValue\n",
}

type Violation = { rule: { name: string }; from: string; to: string }
let violations: Violation[] = []
let scratch = ''

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pulse8-boundaries-'))
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(scratch, path)), { recursive: true })
    await writeFile(join(scratch, path), text)
  }
  const args = [
    join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
    'server',
    'app',
    '--config',
    join(repo, '.dependency-cruiser.cjs'),
    '--output-type',
    'json',
  ]
  // depcruise exits non-zero when it finds errors: that is the expected outcome here.
  const { stdout } = await run(process.execPath, args, { cwd: scratch, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({
    stdout: err.stdout ?? '',
  }))
  violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations
}, 60_000)

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

const reported = (rule: string, from: string, to?: string) =>
  violations.some((v) => v.rule.name === rule && v.from === from && (to === undefined || v.to === to))

describe('import boundaries', () => {
  it.each([
    ['trpc-only-in-the-api-layer', 'server/crm/planted-api.ts', 'server/trpc/init.ts'],
    ['domains-do-not-call-the-api-layer', 'server/crm/planted-api.ts', 'server/trpc/init.ts'],
    ['config-language-is-pure', 'server/config-language/planted-io.ts', undefined],
    ['kernel-stands-alone', 'server/kernel/planted.ts', 'server/crm/internal.ts'],
    ['realtime-knows-no-domain', 'server/realtime/planted.ts', 'server/crm/internal.ts'],
    ['domains-talk-through-services', 'server/config/planted.ts', 'server/crm/internal.ts'],
    ['ui-imports-server-types-only', 'app/planted.ts', 'server/crm/internal.ts'],
    ['no-cycles', 'server/db/cycle-a.ts', 'server/db/cycle-b.ts'],
  ])('%s reports %s', (rule, from, to) => {
    expect(reported(rule, from, to), JSON.stringify(violations.map((v) => [v.rule.name, v.from, v.to]))).toBe(true)
  })

  it('lets a domain use another domain’s service module, and the UI import types', () => {
    expect(violations.filter((v) => v.to === 'server/crm/record-counts.ts')).toEqual([])
    expect(violations.filter((v) => v.from === 'app/planted.ts' && v.rule.name !== 'ui-imports-server-types-only')).toEqual([])
    // The type import of the same module is not a second ui violation (only the value import is).
    expect(violations.filter((v) => v.from === 'app/planted.ts')).toHaveLength(1)
  })
})
