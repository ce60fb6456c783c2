// Fuzz of the config lifecycle's acceptance point: at least 10,000 generated and mutated drafts
// (random JSON and the non-JSON values a superjson client can send, wrong types, deep nesting,
// huge strings, unknown keys, malformed addresses and inputs) through saveDraft, validate and
// publish: never a 500, never a crash, never a partial or invalid publish, and every rejection a
// structured error. In process through the real router and database, plus a sample over HTTP.
//
// Deterministic for a seed; a failure prints it. Reproduce with
//   FUZZ_SEED=<seed> npx vitest run tests/integration/config-fuzz.test.ts
import { TRPCError } from '@trpc/server'
import { TRPC_ERROR_CODES_BY_NUMBER } from '@trpc/server/rpc'
import fc from 'fast-check'
import superjson from 'superjson'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CONFIG_ERROR_CODES, CONFIG_NAMESPACES, CONFIG_WARNING_CODES, validateConfigSet, type ConfigItem } from '../../server/config-language'
import { checksumOf } from '../../server/config/publish'
import { ConfigErrorsCause } from '../../server/trpc/domain-errors'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

const SEED = Number(process.env.FUZZ_SEED ?? 805_306_421)
const DRAFT_COUNT = 10_000
/**
 * Drafts between two publish attempts. Each attempt, and the discarding of the mess before the
 * next batch, costs a few hundred milliseconds on the embedded database: ten batches.
 */
const BATCH_SIZE = 1_000
/** Every this many batches, a round of benign drafts that a publish must accept. */
const BENIGN_EVERY = 2
/** Every this many accepted drafts, validate({ item }) must repeat what saveDraft reported. */
const VALIDATE_EVERY = 8
const HTTP_CASES = 300

const h = useHarness()
// The production body limit (env MAX_BODY_BYTES), so huge drafts reach the procedure over HTTP too.
const app = useHttpApp(h, { maxBodyBytes: 1_000_000 })

// ---------------------------------------------------------------------------------------------
// What the fuzz feeds in

type Address = { namespace: string; entity: string; key: string }
type BaseItem = Address & { content: unknown }
type Category = 'random-content' | 'mutated-default' | 'malformed-envelope'

interface DraftCase {
  category: Category
  /** What was done to the input ("wrong-type", "deep-nesting", "bad-key" ...): the unit of the per-kind counts. */
  kinds: string[]
  /** The item the draft is for, when its address is well-typed: its revision is tracked. */
  address?: Address
  /** The raw saveDraft input, built from the tracked revision; lazily, so huge values exist one at a time. */
  build(revision: number): unknown
}

type Namespace = (typeof CONFIG_NAMESPACES)[number]
const addressKey = (a: Address) => `${a.namespace}/${a.entity}/${a.key}`
/** Just the address (the config procedures take strict objects), typed as they want it. */
const addressOf = (a: Address) => ({ namespace: a.namespace as Namespace, entity: a.entity, key: a.key })
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype

/** An own property even for "__proto__", the way JSON.parse (and so an HTTP body) creates it. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Mostly the tracked revision; sometimes one behind or ahead, which must be a CONFLICT, never an overwrite. */
type RevisionPlan = 'current' | 'behind' | 'ahead'
const revisionPlan: fc.Arbitrary<RevisionPlan> = fc.oneof(
  { weight: 18, arbitrary: fc.constant('current' as const) },
  { weight: 1, arbitrary: fc.constant('behind' as const) },
  { weight: 1, arbitrary: fc.constant('ahead' as const) },
)
const applyPlan = (plan: RevisionPlan, revision: number) => (plan === 'current' ? revision : plan === 'behind' ? revision - 1 : revision + 3)

// Strings that broke (or could break) something: NUL and lone surrogates (PostgreSQL refuses them),
// bidi overrides, combining marks, BOM, line separators, template and SQL lookalikes, bad regexes.
const ODD_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83d',
  '\u202eevil',
  'e\u0301\u0301\u0301',
  '\ufeff',
  '\u2028\u2029',
  '\u200d',
  '😀',
  '𝕏',
  'ǅİı',
  '',
  ' ',
  '\t\n\r',
  '__proto__',
  'constructor',
  '{{name}}',
  '{{__proto__}}',
  `'; DROP TABLE "ConfigItem"; --`,
  '$1',
  '\\',
  '"',
  '(',
  '[a-',
  '(a+)+$',
]
const oddString = fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: 'binary', maxLength: 16 }))

const ODD_NUMBERS = [Number.NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 1e21, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 40, 1000, 1001, 525_601]
const oddNumber = fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.double(), fc.integer())

/** Values of the wrong type for wherever they land; bigint, Date and undefined are what superjson carries. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, '', '0', 'true', 'null', [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
)

const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'tenantId', 'id', 'label ', 'Label', '', 'fields\u0000', '\ud800'),
  fc.string({ unit: 'binary', maxLength: 12 }),
)

// ---------------------------------------------------------------------------------------------
// Mutations of real items, applied in place to a clone inside a box (so the root can be replaced)

type Box = { value: unknown }
type Slot = { holder: Record<string | number, unknown>; key: string | number }
type Mutation = { name: string; apply(box: Box): void }

/** Every value's place, breadth first and without recursion (mutations nest thousands deep). */
function slotsOf(box: Box): Slot[] {
  const slots: Slot[] = [{ holder: box as Record<string, unknown>, key: 'value' }]
  for (let i = 0; i < slots.length; i++) {
    const value = slots[i]!.holder[slots[i]!.key]
    if (Array.isArray(value)) value.forEach((_, j) => slots.push({ holder: value as unknown as Record<number, unknown>, key: j }))
    else if (isRecord(value)) for (const k of Object.keys(value)) slots.push({ holder: value, key: k })
  }
  return slots
}
const valueAt = (s: Slot) => s.holder[s.key]
const setAt = (s: Slot, v: unknown) => (typeof s.key === 'string' ? defineKey(s.holder, s.key, v) : (s.holder[s.key] = v))
const pick = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(list.length, 1)]
/** A slot whose value passes `prefer`, or any slot when there is none. */
const pickSlot = (box: Box, n: number, prefer: (v: unknown) => boolean = () => true) => {
  const slots = slotsOf(box)
  const preferred = slots.filter((s) => prefer(valueAt(s)))
  return pick(preferred.length ? preferred : slots, n)!
}

/** Wraps a value `depth` levels deep: plain arrays/objects, or condition-shaped not/all chains. */
function nest(value: unknown, depth: number, shape: 'array' | 'object' | 'not' | 'all'): unknown {
  let v = value
  for (let i = 0; i < depth; i++) v = shape === 'array' ? [v] : shape === 'object' ? { a: v } : shape === 'not' ? { not: v } : { all: [v] }
  return v
}

const nestingDepth = fc.oneof(
  // Within the server's limit: the validators walk it.
  { weight: 6, arbitrary: fc.integer({ min: 2, max: 95 }) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 400 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }) },
)
const hugeLength = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1_000, max: 50_000 }) },
  // Around the 256,000-character content limit.
  { weight: 1, arbitrary: fc.integer({ min: 255_000, max: 257_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_000_000 }) },
)
const labelText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => s.trim().length > 0 && s.length <= 100 && !s.includes('\u0000'))

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.nat(), wrongValue).map(([n, v]): Mutation => ({ name: 'wrong-type', apply: (box) => setAt(pickSlot(box, n), v) })) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([n, m]): Mutation => ({
      name: 'delete-key',
      apply(box) {
        const slot = pickSlot(box, n, (v) => (Array.isArray(v) && v.length > 0) || (isRecord(v) && Object.keys(v).length > 0))
        const holder = valueAt(slot)
        if (Array.isArray(holder)) holder.splice(m % holder.length, 1)
        else if (isRecord(holder)) delete holder[pick(Object.keys(holder), m)!]
      },
    })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([n, key, v]): Mutation => ({
      name: 'unknown-key',
      apply(box) {
        const holder = valueAt(pickSlot(box, n, isRecord))
        if (isRecord(holder)) defineKey(holder, key, v)
      },
    })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([n, m]): Mutation => ({
      name: 'duplicate-element',
      apply(box) {
        const list = valueAt(pickSlot(box, n, (v) => Array.isArray(v) && v.length > 0))
        if (Array.isArray(list) && list.length) list.splice(m % list.length, 0, list[m % list.length])
      },
    })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(), nestingDepth, fc.constantFrom('array' as const, 'object' as const, 'not' as const, 'all' as const))
      .map(([n, depth, shape]): Mutation => ({
        name: depth >= 100 ? 'deep-nesting' : 'nesting',
        apply(box) {
          const slot = pickSlot(box, n)
          setAt(slot, nest(valueAt(slot), depth, shape))
        },
      })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), hugeLength, fc.constantFrom('x', 'é', '😀', '\u202e', 'ab')).map(([n, length, unit]): Mutation => ({
      name: 'huge-string',
      apply: (box) =>
        setAt(
          pickSlot(box, n, (v) => typeof v === 'string'),
          unit.repeat(Math.ceil(length / unit.length)),
        ),
    })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), oddString).map(([n, s]): Mutation => ({
      name: 'odd-string',
      apply: (box) =>
        setAt(
          pickSlot(box, n, (v) => typeof v === 'string'),
          s,
        ),
    })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), oddNumber).map(([n, x]): Mutation => ({
      name: 'odd-number',
      apply: (box) =>
        setAt(
          pickSlot(box, n, (v) => typeof v === 'number'),
          x,
        ),
    })),
  },
  { weight: 3, arbitrary: benignMutation() },
)

/** Changes that keep an item valid (a new label, page size or custom field), so publishes can succeed. */
function benignMutation(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.constant<Mutation>({ name: 'unchanged', apply: () => {} }),
    labelText.map((label): Mutation => ({
      name: 'new-label',
      apply(box) {
        if (isRecord(box.value) && typeof box.value.label === 'string') box.value.label = label
      },
    })),
    fc.integer({ min: 1, max: 200 }).map((pageSize): Mutation => ({
      name: 'new-page-size',
      apply(box) {
        if (isRecord(box.value) && typeof box.value.pageSize === 'number') box.value.pageSize = pageSize
      },
    })),
    fc.tuple(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,20}$/), labelText).map(([name, label]): Mutation => ({
      name: 'new-field',
      apply(box) {
        if (isRecord(box.value) && Array.isArray(box.value.fields)) box.value.fields.push({ name: `fz${name}`, label, type: 'text' })
      },
    })),
  )
}

function mutate(content: unknown, mutations: readonly Mutation[]): unknown {
  const box: Box = { value: structuredClone(content) }
  for (const m of mutations) m.apply(box)
  return box.value
}

// ---------------------------------------------------------------------------------------------
// The three categories of drafts

function randomContentCase(items: readonly BaseItem[]): fc.Arbitrary<DraftCase> {
  // Weighted towards non-objects and non-JSON (a third of JSON values and few of the rest are plain objects).
  const content = fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'random-json', value })) },
    {
      weight: 9,
      arbitrary: fc
        .anything({
          maxDepth: 3,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withBoxedValues: true,
          withSparseArray: true,
          withTypedArray: true,
          withObjectString: true,
          stringUnit: 'binary',
        })
        .map((value) => ({ kind: 'random-anything', value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.string({ unit: 'binary', maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
        .map((value) => ({ kind: 'random-object', value })),
    },
  )
  return fc.record({ item: fc.constantFrom(...items), content, plan: revisionPlan }).map(({ item, content: { kind, value }, plan }): DraftCase => ({
    category: 'random-content',
    kinds: [kind],
    address: item,
    build: (revision) => ({ namespace: item.namespace, entity: item.entity, key: item.key, expectedRevision: applyPlan(plan, revision), content: value }),
  }))
}

function mutatedDefaultCase(
  items: readonly BaseItem[],
  mutations = fc.array(mutation, { minLength: 1, maxLength: 3 }),
  plan = revisionPlan,
): fc.Arbitrary<DraftCase> {
  return fc.record({ item: fc.constantFrom(...items), mutations, plan }).map(({ item, mutations, plan }): DraftCase => ({
    category: 'mutated-default',
    kinds: mutations.map((m) => m.name),
    address: item,
    build: (revision) => ({
      namespace: item.namespace,
      entity: item.entity,
      key: item.key,
      expectedRevision: applyPlan(plan, revision),
      content: mutate(item.content, mutations),
    }),
  }))
}

/** What can be wrong with a saveDraft input around its content; each fault is also the kind it is counted as. */
const ENVELOPE_FAULTS = [
  'bad-namespace',
  'bad-entity',
  'bad-key',
  'bad-revision',
  'non-object-content',
  'bad-delete',
  'unknown-input-key',
  'missing-input-key',
] as const

/**
 * Well-formed inputs with no, one (mostly: each check on its own) or a few faults. Entities and
 * keys that pass the input's regexes but not the address rules (sla/customer, objects/case/x)
 * count as well-formed: they are saved, and validation names them.
 */
function malformedEnvelopeCase(items: readonly BaseItem[]): fc.Arbitrary<DraftCase> {
  const strangeScalar = fc.oneof(fc.constantFrom(null, undefined, 0, 1, true, [], {}, ['views']), fc.bigInt(), fc.double())
  const good = fc.record({
    namespace: fc.constantFrom(...CONFIG_NAMESPACES),
    entity: fc.constantFrom('customer', 'deal', 'case', '-'),
    key: fc.oneof(fc.constantFrom(...new Set(items.map((i) => i.key))), fc.stringMatching(/^[a-z][a-z0-9-]{0,62}$/)),
    plan: revisionPlan,
    content: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...items).map((i) => i.content) }, { weight: 1, arbitrary: fc.constant({}) }),
    remove: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  const bad = fc.record({
    namespace: fc.oneof(strangeScalar, fc.constantFrom('Objects', 'object', 'objects ', '', 'sla\u0000', '__proto__', 'constructor', 'x'.repeat(300))),
    entity: fc.oneof(strangeScalar, fc.constantFrom('Customer', '', 'a'.repeat(64), 'cust omer', 'customer\n', '..', '-x', '1abc', 'ü', '\ud800')),
    key: fc.oneof(strangeScalar, fc.constantFrom('a'.repeat(64), 'A', 'fuzz_1', '-', '', '__proto__', 'x'.repeat(10_000), 'all/../gold')),
    revision: fc.constantFrom(-1, 0.5, Number.NaN, Infinity, '1', null, undefined, 1n, 2 ** 31, 2 ** 53, Number.MAX_VALUE, [], {}, true),
    content: fc.constantFrom(null, undefined, 'content', 42, [], ['a']),
    remove: fc.constantFrom(false, 'true', 1, null),
    extra: fc.dictionary(
      fc.constantFrom('tenantId', 'id', 'draft', 'published', 'version', '__proto__', 'constructor', 'Content'),
      fc.jsonValue({ maxDepth: 1 }),
      {
        minKeys: 1,
        maxKeys: 2,
      },
    ),
    missing: fc.subarray(['namespace', 'entity', 'key', 'expectedRevision', 'content'], { minLength: 1, maxLength: 2 }),
  })
  type Fault = (typeof ENVELOPE_FAULTS)[number]
  const faults: fc.Arbitrary<Fault[]> = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Fault[]>([]) },
    { weight: 24, arbitrary: fc.subarray([...ENVELOPE_FAULTS], { minLength: 1, maxLength: 1 }) },
    { weight: 8, arbitrary: fc.subarray([...ENVELOPE_FAULTS], { minLength: 2, maxLength: 3 }) },
  )
  const envelope = fc.record({ good, bad, faults }).map(({ good, bad, faults }): DraftCase => {
    const has = (f: Fault) => faults.includes(f)
    const namespace = has('bad-namespace') ? bad.namespace : good.namespace
    const entity = has('bad-entity') ? bad.entity : good.entity
    const key = has('bad-key') ? bad.key : good.key
    const typed = typeof namespace === 'string' && typeof entity === 'string' && typeof key === 'string'
    return {
      category: 'malformed-envelope',
      kinds: faults.length ? faults : [good.remove ? 'removal' : 'well-formed'],
      address: typed ? { namespace, entity, key } : undefined,
      build(tracked) {
        const input: Record<string, unknown> = {
          namespace,
          entity,
          key,
          expectedRevision: has('bad-revision') ? bad.revision : applyPlan(good.plan, tracked),
          content: has('non-object-content') ? bad.content : good.content,
        }
        if (has('bad-delete')) input.delete = bad.remove
        else if (good.remove) input.delete = true
        if (has('unknown-input-key')) for (const [k, v] of Object.entries(bad.extra)) defineKey(input, k, v)
        if (has('missing-input-key')) for (const k of bad.missing) delete input[k]
        return input
      },
    }
  })
  const notAnObject = fc
    .constantFrom(undefined, null, 42, 'views/customer/all', [], [{}], true)
    .map((value): DraftCase => ({ category: 'malformed-envelope', kinds: ['input-not-an-object'], build: () => value }))
  return fc.oneof({ weight: 30, arbitrary: envelope }, { weight: 1, arbitrary: notAnObject })
}

/** Drafts a publish should accept (unless two of them happen to add the same field). */
const benignCase = (items: readonly BaseItem[]) =>
  mutatedDefaultCase(items, fc.array(benignMutation(), { minLength: 1, maxLength: 2 }), fc.constant('current' as const))

function draftCases(items: readonly BaseItem[]): fc.Arbitrary<DraftCase> {
  // About 2,000 / 800 / 7,200 of 10,000. An accepted draft (two thirds of the mutated, a fifth of
  // the random, one in thirty envelopes: ~1,200) costs a transaction; a refusal is cheap.
  return fc.oneof(
    { weight: 20, arbitrary: randomContentCase(items) },
    { weight: 8, arbitrary: mutatedDefaultCase(items) },
    { weight: 72, arbitrary: malformedEnvelopeCase(items) },
  )
}

/**
 * Inputs for publish itself, built from the live version: mostly well-typed (so a lone-surrogate
 * or blank message gets as far as it can), else wrong types, unknown keys or no object at all.
 */
const publishInput: fc.Arbitrary<(version: number) => unknown> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .record({
        version: fc.oneof(
          { weight: 3, arbitrary: revisionPlan },
          { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, Number.NaN, '1', null, 1n, 2 ** 31, 2 ** 53, []).map((literal) => ({ literal })) },
        ),
        message: fc.oneof(fc.constantFrom('', '   ', '\u0000', '\ud800 lone', 'x'.repeat(501), 42, null, ['m']), fc.string({ unit: 'binary', maxLength: 30 })),
        stray: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      })
      .map(({ version, message, stray }) => (live: number) => ({
        expectedVersion: typeof version === 'string' ? applyPlan(version, live) : version.literal,
        message,
        ...(stray ? { tenantId: 'other' } : {}),
      })),
  },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'publish', 1, []).map((input) => () => input) },
)

// ---------------------------------------------------------------------------------------------
// What every answer must look like

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }
const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )

// The refusals a handler or middleware states in its message alone: there is no path to point at.
const PLAIN_REFUSALS = [/^content must be a JSON object/, /^content is larger than/, /^Nothing to publish/, /^Input must not contain NUL/]

const ISSUE_CODES = new Set<string>([...Object.keys(CONFIG_ERROR_CODES), ...Object.keys(CONFIG_WARNING_CODES)])
const isPath = (p: unknown) => Array.isArray(p) && p.every((s) => typeof s === 'string' || typeof s === 'number')

/** Why a config validation issue is malformed, or null. */
function issueProblem(issue: unknown, item?: string): string | null {
  if (!isRecord(issue)) return `issue is not an object: ${preview(issue)}`
  if (
    typeof issue.item !== 'string' ||
    !isPath(issue.path) ||
    typeof issue.code !== 'string' ||
    !ISSUE_CODES.has(issue.code) ||
    typeof issue.message !== 'string'
  ) {
    return `malformed issue ${preview(issue)}`
  }
  if (item !== undefined && issue.item !== item) return `issue of ${issue.item} reported for ${item}`
  return null
}

/** Why a zod issue list is not one the client can act on (each issue a message and a path), or null. */
function zodIssuesProblem(issues: unknown): string | null {
  if (!Array.isArray(issues) || issues.length === 0) return 'zod error without issues'
  const bad = issues.find((i) => !isRecord(i) || typeof i.message !== 'string' || !isPath(i.path))
  return bad ? `malformed zod issue ${preview(bad)}` : null
}

/** Why a thrown value is not an acceptable, structured refusal with one of `allowed` codes, or null. */
function refusalProblem(error: unknown, allowed: readonly TRPCError['code'][]): string | null {
  if (!(error instanceof TRPCError)) return `threw a non-TRPCError: ${String(error)}`
  if (!allowed.includes(error.code)) return `${error.code}: ${error.message} (cause: ${String(error.cause)})`
  if (!error.message) return `${error.code} without a message`
  if (error.code !== 'BAD_REQUEST') return null
  // The same distinction the errorFormatter makes for data.zodError and data.configErrors.
  if (error.cause instanceof z.ZodError) return zodIssuesProblem(error.cause.issues)
  if (error.cause instanceof ConfigErrorsCause) {
    if (error.cause.errors.length === 0) return 'config errors cause without errors'
    return error.cause.errors.map((e) => issueProblem(e)).find((p) => p !== null) ?? null
  }
  return PLAIN_REFUSALS.some((r) => r.test(error.message)) ? null : `unstructured BAD_REQUEST: ${error.message}`
}

/** The same, for a BAD_REQUEST as the errorFormatter sends it over HTTP (data.zodError, data.configErrors). */
function formattedProblem(data: Record<string, unknown>, message: string, transport: boolean): string | null {
  const { zodError, configErrors } = data as { zodError?: { issues?: unknown } | null; configErrors?: unknown[] }
  if (zodError) return zodIssuesProblem(zodError.issues)
  if (configErrors) return configErrors.map((e) => issueProblem(e)).find((p) => p !== null) ?? null
  // A body that does not even decode into an input has no path to point at.
  return transport || PLAIN_REFUSALS.some((r) => r.test(message)) ? null : `unstructured BAD_REQUEST over HTTP: ${message}`
}

const describeError = (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e))

function preview(value: unknown): string {
  try {
    const text = fc.stringify(value)
    return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text
  } catch {
    return '<too deep to print>'
  }
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping shared by the tests of this file (they run in order)

const failures: string[] = []
beforeEach(() => {
  // Each test reports its own violations.
  failures.length = 0
})
function fail(where: string, problem: string, input?: unknown) {
  failures.push(`[${where}] ${problem}${input === undefined ? '' : `\n    input: ${preview(input)}`}`)
}
function expectNoFailures() {
  expect(failures.slice(0, 20), `${failures.length} violation(s), seed ${SEED} (FUZZ_SEED=${SEED} reproduces)`).toEqual([])
}

type Stats = { total: number; accepted: number; refused: Record<string, number> }
const byCategory = new Map<string, Stats>()
const byKind = new Map<string, number>()
function count(category: string, kinds: readonly string[], outcome: string) {
  const s = byCategory.get(category) ?? { total: 0, accepted: 0, refused: {} }
  s.total++
  if (outcome === 'ok') s.accepted++
  else s.refused[outcome] = (s.refused[outcome] ?? 0) + 1
  byCategory.set(category, s)
  for (const k of new Set(kinds)) byKind.set(k, (byKind.get(k) ?? 0) + 1)
}

/** The draft revision of every item (0 = no row): what an editor would have loaded. */
const revisions = new Map<string, number>()
const publishes = { succeeded: 0, refused: 0 }

describe('config lifecycle fuzz', () => {
  type Caller = Awaited<ReturnType<typeof h.asUser>>
  type ItemList = Awaited<ReturnType<Caller['config']['list']>>
  let admin: Caller
  let bot: Caller
  const items: BaseItem[] = []

  async function syncRevisions() {
    revisions.clear()
    for (const i of (await admin.config.list()).items) revisions.set(addressKey(i), i.draftRevision)
  }

  /** Drops every pending draft, new item and pending removal, so the next batch starts from live. */
  async function discardAll() {
    for (const i of (await admin.config.list()).items) if (i.state !== 'live') await admin.config.discardDraft(addressOf(i))
    await syncRevisions()
  }

  async function revisionOf(a: Address): Promise<number> {
    const got = await settle(admin.config.get(addressOf(a)))
    return got.ok ? got.value.draftRevision : 0
  }

  async function runDraft(c: DraftCase, where: string, caller: Caller, accepted: { n: number }) {
    const input = c.build(c.address ? (revisions.get(addressKey(c.address)) ?? 0) : 0)
    const outcome = await settle(caller.config.saveDraft(input as never))
    if (!outcome.ok) {
      const problem = refusalProblem(outcome.error, ['BAD_REQUEST', 'CONFLICT', 'NOT_FOUND'])
      if (problem) fail(where, problem, input)
      const code = outcome.error instanceof TRPCError ? outcome.error.code : 'non-trpc'
      count(c.category, c.kinds, code)
      // A conflict the plan did not ask for means the book is behind (a publish moved revisions).
      if (code === 'CONFLICT' && c.address) revisions.set(addressKey(c.address), await revisionOf(c.address))
      return
    }
    count(c.category, c.kinds, 'ok')
    const body = isRecord(input) ? input : {}
    const saved = outcome.value
    if (body.delete !== true && !(typeof body.content === 'object' && body.content !== null))
      fail(where, 'accepted a draft whose content is not an object', input)
    const address = addressOf(body as Address)
    for (const issue of [...saved.errors, ...saved.warnings]) {
      const problem = issueProblem(issue, addressKey(address))
      if (problem) fail(where, problem, input)
    }
    revisions.set(addressKey(address), saved.draftRevision)
    // validate({ item }) reads the same rows, so it must say what saveDraft said (a removal has no item to validate).
    if (body.delete !== true && ++accepted.n % VALIDATE_EVERY === 0) {
      const check = await settle(admin.config.validate({ item: address }))
      if (!check.ok) fail(where, `validate({ item }) after an accepted draft: ${describeError(check.error)}`, input)
      else if (JSON.stringify(check.value) !== JSON.stringify({ errors: saved.errors, warnings: saved.warnings }))
        fail(where, 'validate({ item }) disagrees with saveDraft', input)
    }
  }

  /** Where a successful publish from `before` to `version` left things wrong: drafts left, rows or snapshot not what was validated. */
  async function publishedProblems(before: number, version: number, pending: unknown): Promise<string[]> {
    const problems: string[] = []
    if (version !== before + 1) problems.push(`published version ${version} after ${before}`)
    const list = await admin.config.list()
    if (list.version !== version) problems.push(`list says version ${list.version}, publish said ${version}`)
    const left = list.items.filter((i) => i.state !== 'live')
    if (left.length) problems.push(`drafts left behind by a publish: ${left.map((i) => i.address).join(', ')}`)
    const rowsVsSnapshot = await admin.config.diff({ from: version, to: 'draft' })
    if (rowsVsSnapshot.added.length + rowsVsSnapshot.removed.length + rowsVsSnapshot.changed.length)
      problems.push(`rows differ from snapshot ${version}: ${preview(rowsVsSnapshot)}`)
    const published = await admin.config.diff({ from: before, to: version })
    if (JSON.stringify(published) !== JSON.stringify(pending))
      problems.push(`snapshot ${version} is not the pending drafts: ${preview({ published, pending })}`)
    const snap = await admin.config.snapshot({ version })
    const previous = await admin.config.snapshot({ version: before })
    const { errors } = validateConfigSet(snap.items, { previous: previous.items })
    if (errors.length) problems.push(`snapshot ${version} has validation errors: ${preview(errors)}`)
    if (checksumOf(snap.items) !== snap.checksum) problems.push(`snapshot ${version}'s checksum does not match its content`)
    return problems
  }

  /** A refused publish leaves no trace: same version, same rows, no new history entry or snapshot. */
  async function unchangedProblems(before: ItemList): Promise<string[]> {
    const problems: string[] = []
    if (JSON.stringify(await admin.config.list()) !== JSON.stringify(before)) problems.push('a refused publish changed the items or the version')
    const head = (await admin.config.history({ limit: 1 })).items[0]
    if (head?.version !== before.version) problems.push(`history head ${head?.version} after a refused publish at ${before.version}`)
    const next = await settle(admin.config.snapshot({ version: before.version + 1 }))
    if (next.ok || (next.error as TRPCError).code !== 'NOT_FOUND') problems.push(`snapshot ${before.version + 1} exists after a refused publish`)
    return problems
  }

  /**
   * One publish attempt and its oracle. Only a well-formed input at the current version, with
   * drafts pending that validate reports no errors for, may succeed, and it must then publish
   * exactly those drafts as a snapshot that validates clean. A refusal is structured and changes
   * nothing. For a well-formed input (`plan` given) a refusal must also have its reason.
   */
  async function checkedPublish(where: string, build: (version: number) => unknown, plan?: RevisionPlan) {
    const before = await admin.config.list()
    const report = await admin.config.validate()
    for (const issue of [...report.errors, ...report.warnings]) {
      const problem = issueProblem(issue)
      if (problem) fail(where, problem)
    }
    const pending = before.items.some((i) => i.state !== 'live')
    const pendingDiff = await admin.config.diff({})
    const input = build(before.version)
    const outcome = await settle(admin.config.publish(input as never))
    count('publish', [plan ? `publish-${plan}` : 'publish-input'], outcome.ok ? 'ok' : outcome.error instanceof TRPCError ? outcome.error.code : 'non-trpc')
    if (outcome.ok) {
      publishes.succeeded++
      const current = isRecord(input) && input.expectedVersion === before.version
      if (!current || !pending || report.errors.length)
        fail(where, `published (current version: ${current}, pending: ${pending}, ${report.errors.length} errors)`, input)
      for (const p of await publishedProblems(before.version, outcome.value.version, pendingDiff)) fail(where, p, input)
      return
    }
    publishes.refused++
    const problem = refusalProblem(outcome.error, ['BAD_REQUEST', 'CONFLICT'])
    if (problem) fail(where, problem, input)
    for (const p of await unchangedProblems(before)) fail(where, p, input)
    if (!plan || problem) return
    const err = outcome.error as TRPCError
    // Which refusal comes first, a stale version or invalid drafts, is the server's choice; each needs its reason.
    if (err.code === 'CONFLICT' && plan === 'current') fail(where, `CONFLICT at the current version: ${err.message}`)
    if (err.code === 'BAD_REQUEST' && pending && report.errors.length === 0) fail(where, `refused valid drafts: ${err.message}`)
    if (err.cause instanceof ConfigErrorsCause && JSON.stringify(err.cause.errors) !== JSON.stringify(report.errors))
      fail(where, 'publish refused with other errors than validate reports')
  }

  const wellFormedPublish = (plan: RevisionPlan, message: string) => (version: number) => ({ expectedVersion: applyPlan(plan, version), message })

  beforeAll(async () => {
    console.log(`config fuzz: seed ${SEED} (set FUZZ_SEED=${SEED} to reproduce)`)
    admin = await h.asUser('admin@acme.test', 'acme')
    // An admin API token sends the bulk of the drafts: same procedures, input parsing and database
    // work, without the session's per-call membership lookup (~4 ms each on the embedded database).
    bot = await h.asToken('acme', 'ADMIN')
    // The default configuration, every namespace of it, is what the mutations start from.
    for (const i of (await admin.config.list()).items) items.push({ ...addressOf(i), content: (await admin.config.get(addressOf(i))).content })
    expect(CONFIG_NAMESPACES.filter((ns) => !items.some((i) => i.namespace === ns))).toEqual([])
    await syncRevisions()
  })

  it(`survives ${DRAFT_COUNT} generated and mutated drafts through saveDraft, validate and publish (seed ${SEED})`, async () => {
    const cases = fc.sample(draftCases(items), { seed: SEED, numRuns: DRAFT_COUNT })
    const batches = Math.ceil(cases.length / BATCH_SIZE)
    const rounds = Math.ceil(batches / BENIGN_EVERY)
    const benign = fc.sample(benignCase(items), { seed: SEED + 1, numRuns: rounds * 3 })
    const fuzzedPublishes = fc.sample(publishInput, { seed: SEED + 2, numRuns: rounds * 8 })
    const messages = fc.sample(labelText, { seed: SEED + 3, numRuns: batches + rounds })
    const plans = fc.sample(revisionPlan, { seed: SEED + 4, numRuns: batches })

    const accepted = { n: 0 }
    for (let b = 0; b < batches; b++) {
      for (let i = b * BATCH_SIZE; i < Math.min(cases.length, (b + 1) * BATCH_SIZE); i++) {
        const c = cases[i]!
        // Every tenth draft from the signed-in admin, so the session path is fuzzed as well.
        await runDraft(c, `${c.category} #${i} (${c.kinds.join('+')})`, i % 10 === 0 ? admin : bot, accepted)
      }
      await checkedPublish(`publish after batch ${b}`, wellFormedPublish(plans[b]!, messages[b]!), plans[b])
      await discardAll()
      if (b % BENIGN_EVERY !== 0) continue
      // A benign round: valid drafts pending, fuzzed publish inputs against them (a malformed one
      // must never publish them; a well-formed one may), then a well-formed publish, which must
      // succeed unless a fuzzed input already published the drafts.
      const r = b / BENIGN_EVERY
      for (const [i, c] of benign.slice(r * 3, r * 3 + 3).entries()) await runDraft(c, `benign ${r}.${i} (${c.kinds.join('+')})`, admin, accepted)
      for (const [i, build] of fuzzedPublishes.slice(r * 8, r * 8 + 8).entries()) await checkedPublish(`publish-input ${r}.${i}`, build)
      await checkedPublish(`benign publish ${r}`, wellFormedPublish('current', messages[batches + r]!), 'current')
      await discardAll()
    }

    console.log('drafts by category:', JSON.stringify(Object.fromEntries(byCategory)))
    console.log('drafts by kind:', JSON.stringify(Object.fromEntries([...byKind].sort((a, b) => b[1] - a[1]))))
    console.log(
      `publishes: ${publishes.succeeded} succeeded, ${publishes.refused} refused; validate({ item }) checks: ${Math.floor(accepted.n / VALIDATE_EVERY)}`,
    )
    const categories = ['random-content', 'mutated-default', 'malformed-envelope']
    expect(categories.reduce((n, k) => n + (byCategory.get(k)?.total ?? 0), 0)).toBeGreaterThanOrEqual(DRAFT_COUNT)
    for (const k of categories) {
      // Each category reaches the database (accepted drafts) and the refusals alike.
      expect(byCategory.get(k)?.accepted, k).toBeGreaterThan(0)
      expect(byCategory.get(k)!.total - byCategory.get(k)!.accepted, k).toBeGreaterThan(0)
    }
    expect(publishes.succeeded).toBeGreaterThan(0)
    expect(publishes.refused).toBeGreaterThan(0)
    expectNoFailures()
  }, 300_000)

  it(`answers a sample of ${HTTP_CASES} fuzzed drafts over HTTP with statuses below 500 and structured errors`, async () => {
    const { token } = await h.issueToken('acme', 'ADMIN')
    const post = async (path: string, body: string) => {
      const res = await fetch(`${app.baseUrl}/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      })
      return { status: res.status, text: await res.text() }
    }
    const cases = fc.sample(draftCases(items), { seed: SEED + 5, numRuns: HTTP_CASES })
    const address = { namespace: 'views', entity: 'customer', key: 'all' }
    const withMeta = (body: string, meta: string) => `${body.slice(0, -1)},"meta":${meta}}`
    const envelope = (content: string) =>
      `{"json":{"namespace":"views","entity":"customer","key":"all","expectedRevision":${revisions.get(addressKey(address)) ?? 0},"content":${content}}}`
    // Bodies no typed client would send: nesting far past any stack, escapes PostgreSQL refuses,
    // broken JSON and superjson meta. "transport": the body may not even decode into an input, and
    // tRPC refuses it as BAD_REQUEST with the decoder's message (no path to point at).
    type Raw = { name: string; body: () => string; transport?: true }
    const raw: Raw[] = [
      ...[101, 1_000, 5_000].map((d): Raw => ({ name: `object nesting ${d}`, body: () => envelope(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`) })),
      ...[19_000, 150_000].map((d): Raw => ({ name: `object nesting ${d}`, body: () => envelope(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`), transport: true })),
      ...[10_000, 450_000].map((d): Raw => ({ name: `array nesting ${d}`, body: () => envelope(`${'['.repeat(d)}${']'.repeat(d)}`), transport: true })),
      { name: 'lone surrogate value', body: () => envelope('{"label":"\\ud800"}') },
      { name: 'lone surrogate key', body: () => envelope('{"\\udc00":1}') },
      { name: '__proto__ key', body: () => envelope('{"__proto__":null,"label":"x"}') },
      { name: 'NUL escape', body: () => envelope('{"label":"a\\u0000b"}') },
      { name: 'huge string', body: () => envelope(`{"label":"${'x'.repeat(900_000)}"}`) },
      { name: 'oversized body', body: () => envelope(`{"label":"${'x'.repeat(1_100_000)}"}`) },
      { name: 'broken JSON', body: () => '{"json":{"namespace":', transport: true },
      { name: 'not JSON', body: () => 'namespace=views', transport: true },
      { name: 'JSON null', body: () => 'null', transport: true },
      { name: 'empty body', body: () => '' },
      { name: 'bigint by superjson meta', body: () => withMeta(envelope('{"label":"1"}'), '{"values":{"content.label":["bigint"]}}') },
      { name: 'unknown superjson type', body: () => withMeta(envelope('{"label":"1"}'), '{"values":{"content.label":["nonsense"]}}'), transport: true },
      {
        name: 'superjson meta on a missing path',
        body: () => withMeta(envelope('{"label":"1"}'), '{"values":{"content.nope.deeper":["Date"]}}'),
        transport: true,
      },
      {
        name: 'superjson meta on __proto__',
        body: () => withMeta(envelope('{"label":"1"}'), '{"values":{"content.__proto__.polluted":["undefined"]}}'),
        transport: true,
      },
      {
        name: 'superjson referential equality',
        body: () => withMeta(envelope('{"a":{},"b":{}}'), '{"referentialEqualities":{"content.a":["content.b","content"]}}'),
        transport: true,
      },
    ]
    let sent = 0
    let unsendable = 0
    // As the typed client sends it; superjson refuses "__proto__"/"constructor" keys, which a plain
    // JSON client (curl) still sends; past the test's own stack depth the raw bodies below take over.
    const encode = (input: unknown): string | null => {
      for (const serialize of [() => JSON.stringify(superjson.serialize(input)), () => JSON.stringify({ json: input })]) {
        try {
          return serialize()
        } catch {
          // try the next encoding
        }
      }
      return null
    }
    const check = (where: string, status: number, text: string, input: unknown, transport = false) => {
      if (status >= 500) return fail(where, `HTTP ${status}: ${text.slice(0, 300)}`, input)
      let body: { result?: unknown; error?: { json?: { message?: unknown; code?: unknown; data?: Record<string, unknown> } } }
      try {
        body = JSON.parse(text)
      } catch {
        return fail(where, `HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`, input)
      }
      if (status === 200) return
      const error = body.error?.json
      const code = TRPC_ERROR_CODES_BY_NUMBER[error?.code as keyof typeof TRPC_ERROR_CODES_BY_NUMBER]
      if (!error || typeof error.message !== 'string' || !error.message || !error.data)
        return fail(where, `HTTP ${status} without a tRPC error: ${text.slice(0, 300)}`, input)
      if (!['BAD_REQUEST', 'CONFLICT', 'NOT_FOUND', 'PARSE_ERROR', 'PAYLOAD_TOO_LARGE'].includes(code ?? ''))
        return fail(where, `HTTP ${status} ${code}: ${error.message}`, input)
      if (error.data.httpStatus !== status) fail(where, `data.httpStatus ${String(error.data.httpStatus)} on HTTP ${status}`, input)
      if (code !== 'BAD_REQUEST') return
      const problem = formattedProblem(error.data, error.message, transport)
      if (problem) fail(where, problem, input)
    }
    for (const [i, c] of cases.entries()) {
      const input = c.build(c.address ? (revisions.get(addressKey(c.address)) ?? 0) : 0)
      const body = encode(input)
      if (body === null) {
        unsendable++
        continue
      }
      const res = await post('config.saveDraft', body)
      sent++
      count(`http ${c.category}`, c.kinds, res.status === 200 ? 'ok' : String(res.status))
      check(`http ${c.category} #${i} (${c.kinds.join('+')})`, res.status, res.text, input)
      if (res.status === 200 && isRecord(input))
        revisions.set(addressKey(input as Address), superjson.deserialize<{ draftRevision: number }>(JSON.parse(res.text).result.data).draftRevision)
      if (res.status === 409) await syncRevisions()
    }
    for (const { name, body, transport } of raw) {
      const res = await post('config.saveDraft', body())
      count('http raw', [name], res.status === 200 ? 'ok' : String(res.status))
      check(`http raw: ${name}`, res.status, res.text, undefined, transport)
      if (res.status === 200) await syncRevisions()
    }
    // With nothing pending, no publish input may publish; each must be refused in a structured way.
    await discardAll()
    const { version } = await admin.config.list()
    for (const [i, build] of fc.sample(publishInput, { seed: SEED + 6, numRuns: 40 }).entries()) {
      const input = build(version)
      const res = await post('config.publish', JSON.stringify(superjson.serialize(input)))
      count('http publish-input', ['publish-input'], String(res.status))
      if (res.status === 200) fail(`http publish-input #${i}`, 'published with no drafts pending', input)
      check(`http publish-input #${i}`, res.status, res.text, input)
    }
    console.log(
      `over HTTP: ${sent} fuzzed drafts sent (${unsendable} too deep for the client), ${raw.length} raw bodies:`,
      JSON.stringify(Object.fromEntries([...byCategory].filter(([k]) => k.startsWith('http')))),
    )
    expect(sent).toBeGreaterThan(HTTP_CASES * 0.8)
    expectNoFailures()
  }, 120_000)

  it('leaves a gap-free history of snapshots that all validate clean, and a server that still answers', async () => {
    const versions: number[] = []
    let cursor: number | undefined
    do {
      const page = await admin.config.history({ limit: 100, cursor })
      versions.push(...page.items.map((i) => i.version))
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions[0]! - i))
    expect(versions.at(-1)).toBe(1)
    expect(versions.length).toBe(publishes.succeeded + 1)
    let previous: ConfigItem[] | undefined
    for (const version of [...versions].reverse()) {
      const snap = await admin.config.snapshot({ version })
      expect(validateConfigSet(snap.items, previous ? { previous } : {}).errors, `snapshot ${version}`).toEqual([])
      expect(checksumOf(snap.items), `checksum of snapshot ${version}`).toBe(snap.checksum)
      previous = snap.items
    }
    // The process and its database survived: ordinary calls still work, for the fuzzed tenant and beside it.
    const live = await admin.config.list()
    expect(live.version).toBe(versions[0])
    expect(live.items.every((i) => i.state === 'live')).toBe(true)
    expect((await admin.customers.list({ limit: 1 })).total).toBeGreaterThan(0)
    expect((await (await h.asUser('admin@globex.test', 'globex')).config.list()).version).toBe(1)
  }, 60_000)
})
