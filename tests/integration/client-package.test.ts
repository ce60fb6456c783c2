// The packed client as a tool author meets it (issue 15): `npm pack` the package, install the
// tarball into a fresh project outside the repo, typecheck a program against its types and run it
// against the live app: list, a typed error, create, subscribe, resume from the last event id,
// runtime config with its ETag cache.
import { execFile as execFileCallback, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

const h = useHarness()
const app = useHttpApp(h)
const repo = path.resolve(import.meta.dirname, '../..')
const project = mkdtempSync(path.join(tmpdir(), 'pulse8-client-'))
// Asynchronously throughout: the app under test runs in this process and must keep answering.
const execFile = promisify(execFileCallback)
const npm = (args: string[], cwd: string) => execFile('npm', args, { cwd, encoding: 'utf8' })

/** Packs the package (prepack builds its declarations and JS) and installs it into `project`. */
async function packAndInstall() {
  await npm(['pack', '--pack-destination', project, '--silent'], path.join(repo, 'client'))
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'))!
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'escalation-tool', private: true, type: 'module' }))
  const typesNode = (JSON.parse((await npm(['pkg', 'get', 'devDependencies'], repo)).stdout) as Record<string, string>)['@types/node']!
  await npm(['install', `./${tarball}`, `@types/node@${typesNode.replace(/^\^/, '')}`, '--no-audit', '--no-fund', '--prefer-offline'], project)
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out' },
      files: ['consumer.ts'],
    }),
  )
  copyFileSync(path.join(import.meta.dirname, 'client-package', 'consumer.ts'), path.join(project, 'consumer.ts'))
}

afterAll(() => rmSync(project, { recursive: true, force: true }))

describe('@pulse8/client, packed and installed outside the repo', () => {
  // Packing type-checks the server's type graph (a minute or two on a busy machine).
  it('packs and installs from the tarball', packAndInstall, 600_000)

  it('ships JavaScript and declarations, and no server JavaScript', () => {
    const installed = path.join(project, 'node_modules', '@pulse8', 'client', 'dist')
    expect(
      readdirSync(installed)
        .filter((f) => f.endsWith('.js'))
        .sort(),
    ).toEqual(['http-endpoints.js', 'index.js', 'websocket-browser.js', 'websocket-node.js'])
    const serverFiles = readdirSync(path.join(installed, 'types', 'server'), { recursive: true }) as string[]
    expect(serverFiles.filter((f) => f.endsWith('.js') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([])
  })

  it('typechecks a program against the server types and runs it against the live app', async () => {
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    await execFile(process.execPath, [tsc, '-p', project], { encoding: 'utf8' }).catch((error: { stdout?: string }) => {
      throw new Error(`the program does not typecheck against the package:\n${error.stdout}`)
    })
    const { token } = await h.issueToken('acme', 'ADMIN')
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(project, 'out', 'consumer.js'), app.baseUrl, token], { cwd: project })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d))
      child.stderr.on('data', (d: Buffer) => (err += d))
      child.on('exit', (code: number) => (code === 0 ? resolve(out) : reject(new Error(`consumer exited ${code}: ${err}`))))
    })
    const steps = Object.fromEntries(
      output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { step: string; data: any })
        .map(({ step, data }) => [step, data]),
    )
    expect(steps.list.count).toBe(2)
    expect(steps.list.total).toBeGreaterThan(2)
    expect(steps.missing).toBe('NOT_FOUND')
    expect(steps.subscribed.changed).toMatchObject({ entity: 'customer', kind: 'created' })
    // Resumed after the last event seen: the update made while unsubscribed arrives.
    expect(steps.resumed.changed).toMatchObject({ entity: 'customer', kind: 'updated', id: steps.subscribed.changed.id })
    expect(steps.resumed.id).not.toBe(steps.subscribed.id)
    expect(steps.runtimeConfig).toMatchObject({ version: expect.any(Number), sameObject: true })
  }, 120_000)
})
