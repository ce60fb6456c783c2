// Config as code: export → edit → import (as drafts, validated, nothing published) → diff, through
// the library on an in-process caller and through the CLI over HTTP with an API token.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { diffAgainstLive, exportConfig, importConfig, parseConfigFile, type ConfigApi, type ConfigFile } from '../../server/config/config-as-code'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

const h = useHarness()
const app = useHttpApp(h)
const run = promisify(execFile)

function apiOf(caller: Awaited<ReturnType<typeof h.asUser>>): ConfigApi {
  return {
    list: () => caller.config.list(),
    get: (a) => caller.config.get(a as never),
    saveDraft: (i) => caller.config.saveDraft(i as never),
    validate: () => caller.config.validate(),
    snapshot: (i) => caller.config.snapshot(i),
  }
}

function withCustomerField(file: ConfigFile, field: object): ConfigFile {
  return {
    ...file,
    items: file.items.map((i) =>
      i.namespace === 'objects' && i.entity === 'customer'
        ? { ...i, content: { ...(i.content as object), fields: [...(i.content as { fields: object[] }).fields, field] } }
        : i,
    ),
  }
}

describe('config as code', () => {
  it('round-trips: export, edit, import as drafts, diff — and publishes nothing', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    const api = apiOf(admin)
    const exported = await exportConfig(api, 'globex')
    expect(parseConfigFile(JSON.stringify(exported))).toEqual(exported)
    const edited = withCustomerField(exported, { name: 'vip', label: 'VIP', type: 'boolean', builtIn: false, required: false })
    const diff = await diffAgainstLive(api, edited)
    expect(diff.changed.map((c) => c.address)).toEqual(['objects/customer/fields'])
    const result = await importConfig(api, edited)
    expect(result).toMatchObject({ saved: ['objects/customer/fields'], deleted: [], errors: [] })
    expect((await admin.config.get({ namespace: 'objects', entity: 'customer', key: 'fields' })).state).toBe('modified')
    expect((await admin.config.list()).version).toBe(exported.version)
    // A second import of the same file changes nothing.
    expect((await importConfig(api, edited)).saved).toEqual([])
    // Items missing from the file are marked for removal.
    const fewer = { ...edited, items: edited.items.filter((i) => !(i.namespace === 'views' && i.key === 'gold')) }
    const removed = await importConfig(api, fewer)
    expect(removed.deleted).toEqual(['views/customer/gold'])
  })

  it('carries a config across tenants: export acme → import into globex → publish → export gives the same items', async () => {
    const acme = await h.asUser('admin@acme.test', 'acme')
    const globex = await h.asUser('admin@globex.test', 'globex')
    // Make acme's config differ from the default globex also started with.
    const acmeApi = apiOf(acme)
    const edited = withCustomerField(await exportConfig(acmeApi, 'acme'), { name: 'region', label: 'Region', type: 'text', builtIn: false, required: false })
    await importConfig(acmeApi, edited)
    await acme.config.publish({ expectedVersion: (await acme.config.list()).version, message: 'add region' })
    const fromAcme = await exportConfig(acmeApi, 'acme')

    const globexApi = apiOf(globex)
    const imported = await importConfig(globexApi, fromAcme)
    expect(imported.errors).toEqual([])
    expect(imported.saved.length + imported.deleted.length).toBeGreaterThan(0)
    await globex.config.publish({ expectedVersion: (await globex.config.list()).version, message: 'from acme' })
    const fromGlobex = await exportConfig(globexApi, 'globex')
    expect(fromGlobex.items).toEqual(fromAcme.items)
    expect(await diffAgainstLive(globexApi, fromAcme)).toMatchObject({ added: [], removed: [], changed: [] })
  })

  it('rejects files that are not config exports, with the reason', () => {
    expect(() => parseConfigFile('{oops')).toThrow(/not valid JSON/)
    expect(() => parseConfigFile(JSON.stringify({ format: 'other' }))).toThrow(/not a Pulse-8 config export/)
  })

  it('the CLI exports over HTTP with a token and exits non-zero when an import does not validate', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await admin.tokens.create({ name: 'config cli', role: 'ADMIN' })
    const dir = await mkdtemp(path.join(tmpdir(), 'pulse8-config-'))
    const file = path.join(dir, 'acme.json')
    const cli = (...args: string[]) =>
      run('node', ['--import', 'tsx', 'scripts/config.ts', ...args, '--tenant', 'acme', '--url', app.baseUrl, '--token', token]).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const exported = await cli('export', '--file', file)
    expect(exported.code).toBe(0)
    const parsed = parseConfigFile(await readFile(file, 'utf8'))
    expect(parsed.tenant).toBe('acme')
    const broken = withCustomerField(parsed, { name: 'bad', label: 'Bad', type: 'select', builtIn: false, required: false, options: [], default: 'nope' })
    await writeFile(file, JSON.stringify(broken))
    const imported = await cli('import', '--file', file)
    expect(imported.code).toBe(1)
    expect(imported.stderr).toMatch(/objects\/customer\/fields/)
    const wrongTenant = await run('node', [
      '--import',
      'tsx',
      'scripts/config.ts',
      'diff',
      '--file',
      file,
      '--tenant',
      'globex',
      '--url',
      app.baseUrl,
      '--token',
      token,
    ]).catch((e) => e)
    expect(wrongTenant.code).toBe(1)
    expect(wrongTenant.stderr).toMatch(/does not belong to tenant "globex"/)
  }, 60_000)
})
