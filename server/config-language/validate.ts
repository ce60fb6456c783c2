// Validation of a whole config set: what publish refuses and the studio shows next to each item.
// Step 1 checks each item alone (address, duplicates, zod structure); step 2 checks the set as a
// whole (every cross-reference, types of operators and values, rules that need the live set).
// Items whose structure is invalid still "exist" for reference checks (no cascade of
// unknown_reference errors), but their content is not checked further until it parses.
import { addressProblem, addressText, ENTITIES, formatAddress, OBJECTS_KEY, type ConfigItem, type Entity } from './address'
import { ASSIGNEE_FIELD, BUILT_IN_FIELDS, builtInField, isSystemField, RESERVED_FIELD_NAMES, TAGS_FIELD } from './built-in-fields'
import { walkCondition, type Condition } from './condition'
import { canEverMatch, findRefCycle, usesChangeOperators } from './condition-analysis'
import type { FieldDef } from './field-def'
import { CHANGE_OPERATORS, formatsFor, isSortable, operatorFits, operatorsFor } from './field-types'
import { patternProblem } from './field-pattern'
import { conditionValueProblem, fieldValueProblem } from './field-values'
import type { ConfigErrorCode, ConfigIssue, ConfigIssuePath, ConfigWarningCode, ValidationResult } from './issues'
import { isEmptyValue } from './record'
import { collectReferences } from './references'
import { parseContent, type ActionContent, type FormContent, type ViewContent } from './schemas'
import { buildConfigIndex, type ConfigIndex } from './snapshot'

export interface ValidateOptions {
  /** The live set. Enables field_in_use / item_in_use: removals that something still uses. */
  previous?: readonly ConfigItem[]
}

type Path = ConfigIssuePath

/** The address as written, even when it is not a valid one (so the issue can still name it). */
const rawAddress = addressText

const list = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ')

class Report {
  readonly errors: ConfigIssue[] = []
  readonly warnings: ConfigIssue[] = []
  error(item: string, path: Path, code: ConfigErrorCode, message: string, related?: string[]) {
    this.errors.push({ item, path, code, message, ...(related ? { related } : {}) })
  }
  warn(item: string, path: Path, code: ConfigWarningCode, message: string) {
    this.warnings.push({ item, path, code, message })
  }
}

export function validateConfigSet(items: readonly ConfigItem[], opts: ValidateOptions = {}): ValidationResult {
  const report = new Report()

  // Step 1: each item alone.
  const present = new Set<string>()
  const accepted: ConfigItem[] = []
  for (const item of items) {
    const address = rawAddress(item)
    const problem = addressProblem(item)
    if (problem) {
      report.error(address, [], 'invalid_address', problem)
      continue
    }
    if (present.has(address)) {
      report.error(address, [], 'duplicate_item', `${address} appears more than once`)
      continue
    }
    present.add(address)
    accepted.push(item)
    const parsed = parseContent(item.namespace, item.content)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
        // Point at each unrecognised key itself, where the studio can highlight it.
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) report.error(address, [...path, key], 'invalid_structure', `unknown key "${key}"`)
        } else report.error(address, path, 'invalid_structure', issue.message)
      }
    }
  }
  const index = buildConfigIndex(accepted)

  // Step 2: the set as a whole.
  for (const entity of ENTITIES) {
    const address = formatAddress('objects', entity, OBJECTS_KEY)
    if (!index.has(address)) report.error(address, [], 'missing_objects', `${entity} has no field catalogue (${address})`)
  }
  for (const { address, entity, content } of index.list('objects')) checkObjects(report, address, entity as Entity, content.fields)

  const references = collectReferences(index)
  const disabled = new Set(
    index
      .list('automations')
      .filter((a) => !a.content.enabled)
      .map((a) => a.address as string),
  )
  for (const ref of references) {
    if (ref.kind === 'field') {
      const fields = index.fields(ref.entity)
      // Without a catalogue (missing_objects or invalid objects) every name would be "unknown".
      if (fields && !fields.some((f) => f.name === ref.field)) {
        report.error(ref.from, ref.path, 'unknown_field', `${ref.entity} has no field "${ref.field}"`)
      }
    } else if (!present.has(ref.target)) {
      if (disabled.has(ref.from)) {
        report.warn(
          ref.from,
          ref.path,
          'disabled_automation_references',
          `${ref.target} does not exist (this automation is disabled; enabling it will be an error)`,
        )
      } else report.error(ref.from, ref.path, 'unknown_reference', `${ref.target} does not exist`)
    }
  }

  const checker = new ItemChecker(report, index)
  for (const e of index.list('forms')) checker.form(e.address, e.entity as Entity, e.content)
  for (const e of index.list('views')) checker.view(e.address, e.entity as Entity, e.content)
  for (const e of index.list('triggers')) checker.trigger(e.address, e.entity as Entity, e.content.event)
  for (const e of index.list('conditions')) checker.condition(e.address, e.entity as Entity, e.key, e.content.when)
  for (const e of index.list('actions')) checker.action(e.address, e.entity as Entity, e.content)
  for (const e of index.list('automations')) {
    const trigger = index.content('triggers', e.content.entity, e.content.trigger)
    if (trigger?.event === 'schedule' && e.content.conditions.length === 0) {
      report.warn(e.address, ['conditions'], 'schedule_without_conditions', `runs for every ${e.content.entity} on each tick of ${trigger.cron}`)
    }
  }
  for (const e of index.list('approvals')) {
    const entity = e.entity as Entity
    if (e.content.entity !== undefined && e.content.entity !== entity) {
      report.error(e.address, ['entity'], 'entity_mismatch', `this approval lives under ${entity} but names ${e.content.entity}`)
    }
    checker.tree(e.address, entity, e.content.when, ['when'], true)
    checker.possible(e.address, entity, e.content.when, ['when'], 'approval rule')
  }
  for (const e of index.list('sla')) {
    checker.tree(e.address, 'case', e.content.when, ['when'], false)
    checker.possible(e.address, 'case', e.content.when, ['when'], 'SLA policy')
  }

  if (opts.previous) checkRemovals(report, index, present, references, buildConfigIndex(opts.previous))

  const byItem = (a: ConfigIssue, b: ConfigIssue) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)
  return { errors: report.errors.sort(byItem), warnings: report.warnings.sort(byItem) }
}

/** The issues of one item in the context of the rest (the studio's inline validation on save). */
export function validateItem(item: ConfigItem, items: readonly ConfigItem[], opts: ValidateOptions = {}): ValidationResult {
  const address = rawAddress(item)
  const set = [...items.filter((i) => rawAddress(i) !== address), item]
  const { errors, warnings } = validateConfigSet(set, opts)
  return { errors: errors.filter((i) => i.item === address), warnings: warnings.filter((i) => i.item === address) }
}

function checkObjects(report: Report, address: string, entity: Entity, fields: readonly FieldDef[]): void {
  const names = new Set<string>()
  fields.forEach((f, i) => {
    const at = (...rest: Path): Path => ['fields', i, ...rest]
    if (names.has(f.name)) report.error(address, at('name'), 'duplicate_field', `field "${f.name}" is defined twice`)
    names.add(f.name)
    if ((RESERVED_FIELD_NAMES as readonly string[]).includes(f.name)) {
      report.error(address, at('name'), 'reserved_field_name', `"${f.name}" is reserved for the record itself`)
    }
    const canonical = builtInField(entity, f.name)
    if (!canonical && f.builtIn)
      report.error(address, at('builtIn'), 'not_a_builtin_field', `${entity} has no built-in field "${f.name}"; custom fields have builtIn: false`)
    if (canonical) {
      if (!f.builtIn) report.error(address, at('builtIn'), 'builtin_field_changed', `"${f.name}" is a built-in field of ${entity} and keeps builtIn: true`)
      if (f.type !== canonical.type) {
        report.error(address, at('type'), 'builtin_field_changed', `the built-in field "${f.name}" is a ${canonical.type} field; its type cannot change`)
      } else {
        if (f.lookupEntity !== canonical.lookupEntity) {
          report.error(address, at('lookupEntity'), 'builtin_field_changed', `the built-in field "${f.name}" points to ${canonical.lookupEntity}`)
        }
        if (canonical.required && !f.required) {
          report.error(address, at('required'), 'builtin_field_changed', `the built-in field "${f.name}" is always required`)
        }
        const kept = new Set(f.options?.map((o) => o.value))
        const dropped = (canonical.options ?? []).map((o) => o.value).filter((v) => !kept.has(v))
        if (dropped.length) {
          report.error(
            address,
            at('options'),
            'builtin_field_changed',
            `the built-in field "${f.name}" keeps its options ${list(dropped)} (you may add options)`,
          )
        }
      }
    }
    const patternIssue = f.pattern === undefined ? null : patternProblem(f.pattern)
    if (patternIssue) report.error(address, at('pattern'), patternIssue.code, patternIssue.message)
    if (f.default !== undefined) {
      const problem = isEmptyValue(f.default) ? 'an empty default means no default; remove it' : fieldValueProblem(f, f.default)
      if (problem) report.error(address, at('default'), 'invalid_option_default', `default of "${f.name}": ${problem}`)
    }
  })
  for (const canonical of BUILT_IN_FIELDS[entity]) {
    if (!names.has(canonical.name)) {
      report.error(address, ['fields'], 'builtin_field_removed', `the built-in field "${canonical.name}" of ${entity} cannot be removed`)
    }
  }
}

class ItemChecker {
  constructor(
    private readonly report: Report,
    private readonly index: ConfigIndex,
  ) {}

  private fields(entity: Entity): readonly FieldDef[] | undefined {
    return this.index.fields(entity)
  }

  /** Operators and values against field types; change operators only where a previous record exists. */
  tree(address: string, entity: Entity, cond: Condition, base: Path, allowChange: boolean): void {
    const fields = this.fields(entity)
    if (!fields) return
    const resolve = this.index.conditions(entity)
    walkCondition(
      cond,
      (node, path) => {
        if ('field' in node) {
          const def = fields.find((f) => f.name === node.field)
          if (!def) return // unknown_field, reported from the references
          if (!operatorFits(def.type, node.op)) {
            this.report.error(
              address,
              [...path, 'op'],
              'operator_type_mismatch',
              `${node.op} does not apply to the ${def.type} field "${def.name}" (use ${operatorsFor(def.type).join(', ')})`,
            )
            return
          }
          if (!allowChange && CHANGE_OPERATORS.includes(node.op)) {
            this.report.error(address, [...path, 'op'], 'operator_context_mismatch', `${node.op} needs a previous record, which does not exist here`)
            return
          }
          const problem = conditionValueProblem(def, node.op, node.value)
          if (problem) this.report.error(address, [...path, 'value'], 'value_type_mismatch', `"${def.name}": ${problem}`)
        } else if (!allowChange) {
          const target = resolve(node.ref)
          if (target && usesChangeOperators(target, resolve, new Set([node.ref]))) {
            this.report.error(
              address,
              [...path, 'ref'],
              'operator_context_mismatch',
              `condition "${node.ref}" uses changed/changedTo/changedFrom, which need a previous record`,
            )
          }
        }
      },
      base,
    )
  }

  possible(address: string, entity: Entity, cond: Condition, path: Path, what: string): void {
    const fields = this.fields(entity)
    if (fields && !canEverMatch(cond, fields, this.index.conditions(entity))) {
      this.report.error(address, path, 'impossible_condition', `no ${entity} can ever match this ${what}'s condition`)
    }
  }

  form(address: string, entity: Entity, form: FormContent): void {
    const seen = new Set<string>()
    form.sections.forEach((s, si) =>
      s.fields.forEach((f, fi) => {
        const base: Path = ['sections', si, 'fields', fi]
        if (seen.has(f.field)) this.report.error(address, [...base, 'field'], 'duplicate_field', `"${f.field}" is already on this form`)
        seen.add(f.field)
        if (f.visibleWhen) this.tree(address, entity, f.visibleWhen, [...base, 'visibleWhen'], false)
      }),
    )
    const missing = (this.fields(entity) ?? []).filter((f) => f.required && f.default === undefined && !isSystemField(f.name) && !seen.has(f.name))
    if (missing.length) {
      this.report.warn(address, ['sections'], 'form_missing_required_field', `required field(s) ${list(missing.map((f) => f.name))} are not on this form`)
    }
  }

  view(address: string, entity: Entity, view: ViewContent): void {
    if (view.columns.length === 0) this.report.warn(address, ['columns'], 'empty_view', 'this view shows no columns')
    const fields = this.fields(entity) ?? []
    const columns = new Set<string>()
    view.columns.forEach((c, i) => {
      if (columns.has(c.field)) this.report.error(address, ['columns', i, 'field'], 'duplicate_field', `"${c.field}" is already a column`)
      columns.add(c.field)
      const def = fields.find((f) => f.name === c.field)
      if (def && c.format !== undefined && !formatsFor(def.type).includes(c.format)) {
        this.report.warn(
          address,
          ['columns', i, 'format'],
          'format_type_mismatch',
          `${c.format} does not suit the ${def.type} field "${def.name}" (use ${formatsFor(def.type).join(', ')})`,
        )
      }
    })
    const sorted = new Set<string>()
    view.sort.forEach((s, i) => {
      if (sorted.has(s.field)) this.report.error(address, ['sort', i, 'field'], 'duplicate_field', `already sorted by "${s.field}"`)
      sorted.add(s.field)
      const def = fields.find((f) => f.name === s.field)
      if (def && !isSortable(def.type))
        this.report.error(address, ['sort', i, 'field'], 'unsortable_field', `${def.type} fields such as "${def.name}" cannot be sorted`)
    })
    if (view.filter) this.tree(address, entity, view.filter, ['filter'], false)
  }

  trigger(address: string, entity: Entity, event: string): void {
    // SLA timers run on cases only; inbox messages belong to a customer and, once linked, a case.
    const allowed: Record<string, readonly Entity[]> = { 'sla.warning': ['case'], 'sla.breached': ['case'], 'message.received': ['customer', 'case'] }
    const entities = allowed[event]
    if (entities && !entities.includes(entity)) {
      this.report.error(address, ['event'], 'event_entity_mismatch', `${event} happens to ${entities.join(' or ')} records, not ${entity}`)
    }
  }

  condition(address: string, entity: Entity, key: string, when: Condition): void {
    this.tree(address, entity, when, ['when'], true)
    const cycle = findRefCycle(key, this.index.conditions(entity))
    if (cycle) {
      let at: Path = ['when']
      walkCondition(
        when,
        (node, path) => {
          if ('ref' in node && node.ref === cycle[1] && at.length === 1) at = [...path, 'ref']
        },
        ['when'],
      )
      this.report.error(address, at, 'reference_cycle', `conditions refer to each other in a cycle: ${cycle.join(' → ')}`)
    }
  }

  private valueProblem(def: FieldDef, value: unknown): string | null {
    if (isSystemField(def.name)) return `"${def.name}" is set by the server`
    if (isEmptyValue(value)) return def.required ? `"${def.name}" is required and cannot be cleared` : null
    const problem = fieldValueProblem(def, value)
    return problem ? `"${def.name}": ${problem}` : null
  }

  action(address: string, entity: Entity, action: ActionContent): void {
    const fields = this.fields(entity)
    const mismatch = (path: Path, message: string) => this.report.error(address, path, 'action_value_mismatch', message)
    switch (action.type) {
      case 'setField': {
        const def = fields?.find((f) => f.name === action.field)
        if (!def) return
        if (isSystemField(def.name)) return mismatch(['field'], `"${def.name}" is set by the server`)
        const problem = this.valueProblem(def, action.value)
        if (problem) mismatch(['value'], problem)
        return
      }
      case 'assign':
        if ('roundRobinRole' in action.to && action.to.roundRobinRole === 'VIEWER') {
          mismatch(['to', 'roundRobinRole'], `read-only users cannot own ${entity} records (${ASSIGNEE_FIELD[entity]})`)
        }
        return
      case 'addTag': {
        const tags = fields?.find((f) => f.name === TAGS_FIELD)
        const problem = tags && fieldValueProblem(tags, [action.tag])
        if (problem) mismatch(['tag'], problem)
        return
      }
      case 'createRecord': {
        const target = this.fields(action.entity)
        if (!target) return
        for (const [name, value] of Object.entries(action.values)) {
          const def = target.find((f) => f.name === name)
          if (!def) continue
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
            const problem = this.copyProblem(entity, value.copyFrom, def)
            if (problem) mismatch(['values', name], problem)
          } else {
            const problem = this.valueProblem(def, value)
            if (problem) mismatch(['values', name], problem)
          }
        }
        const missing = target.filter((f) => f.required && f.default === undefined && !isSystemField(f.name) && !(f.name in action.values))
        if (missing.length) mismatch(['values'], `a new ${action.entity} needs ${list(missing.map((f) => f.name))}`)
        return
      }
      case 'notify':
        action.userFields?.forEach((name, i) => {
          const def = fields?.find((f) => f.name === name)
          if (def && def.type !== 'user') mismatch(['userFields', i], `"${name}" is a ${def.type} field, not a user field`)
        })
        return
      case 'webhook':
      case 'requestApproval':
        return
    }
  }

  /** Whether copying `source` of the triggering record fits the new record's field `def`. */
  private copyProblem(entity: Entity, source: string, def: FieldDef): string | null {
    if (source === 'id') {
      return def.type === 'lookup' && def.lookupEntity === entity ? null : `the ${entity}'s id fits only a lookup to ${entity}, not "${def.name}"`
    }
    const src = this.fields(entity)?.find((f) => f.name === source)
    if (!src) return null // unknown_field, reported from the references
    if (isSystemField(def.name)) return `"${def.name}" is set by the server`
    if (src.type !== def.type || src.lookupEntity !== def.lookupEntity) return `"${source}" (${src.type}) cannot fill "${def.name}" (${def.type})`
    return null
  }
}

function checkRemovals(
  report: Report,
  index: ConfigIndex,
  present: Set<string>,
  references: ReturnType<typeof collectReferences>,
  previous: ConfigIndex,
): void {
  const referrers = (match: (r: (typeof references)[number]) => boolean) => [...new Set(references.filter(match).map((r) => r.from as string))].sort()
  for (const entity of ENTITIES) {
    const before = previous.fields(entity)
    const now = index.fields(entity)
    if (!before || !now) continue
    for (const field of before) {
      if (now.some((f) => f.name === field.name)) continue
      const users = referrers((r) => r.kind === 'field' && r.entity === entity && r.field === field.name)
      if (users.length) {
        report.error(
          formatAddress('objects', entity, OBJECTS_KEY),
          ['fields'],
          'field_in_use',
          `field "${field.name}" is removed but still used by ${users.join(', ')}`,
          users,
        )
      }
    }
  }
  for (const item of previous.items) {
    const address = rawAddress(item)
    if (present.has(address)) continue
    const users = referrers((r) => r.kind === 'item' && r.target === address)
    if (users.length) report.error(address, [], 'item_in_use', `${address} is removed but still referenced by ${users.join(', ')}`, users)
  }
}
