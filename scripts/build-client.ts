// Builds the @pulse8/client package (client/): `npm run build` there, and `npm pack` (prepack).
// 1. tsc type-checks the client and emits declarations for it and for the server modules its
//    types reach (the AppRouter type graph) into dist/types; no server JavaScript is emitted.
// 2. Each client source file is transpiled on its own to dist/*.js (no server code inside).
// 3. Relative imports in the declarations get explicit `.js` specifiers, so consumers resolving
//    with "NodeNext" find them as well as bundlers do.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import ts from 'typescript'

const clientDir = path.resolve(import.meta.dirname, '..', 'client')
const dist = path.join(clientDir, 'dist')
rmSync(dist, { recursive: true, force: true })

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', path.join(clientDir, 'tsconfig.json')], { stdio: 'inherit' })

mkdirSync(dist, { recursive: true })
for (const file of readdirSync(path.join(clientDir, 'src')).filter((f) => f.endsWith('.ts'))) {
  const source = readFileSync(path.join(clientDir, 'src', file), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false, isolatedModules: true },
    fileName: file,
  })
  writeFileSync(path.join(dist, file.replace(/\.ts$/, '.js')), outputText)
}

const specifier = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*)(['"])/g
function withExtensions(file: string) {
  const dir = path.dirname(file)
  const text = readFileSync(file, 'utf8').replace(specifier, (match, head: string, spec: string, tail: string) => {
    if (/\.js$/.test(spec)) return match
    if (existsSync(path.join(dir, `${spec}.d.ts`))) return `${head}${spec}.js${tail}`
    if (existsSync(path.join(dir, spec, 'index.d.ts'))) return `${head}${spec}/index.js${tail}`
    return match
  })
  writeFileSync(file, text)
}
function walk(dir: string) {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) walk(full)
    else if (full.endsWith('.d.ts')) withExtensions(full)
  }
}
walk(path.join(dist, 'types'))
console.log(`@pulse8/client built in ${path.relative(process.cwd(), dist) || dist}`)
