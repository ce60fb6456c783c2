// The content schema of each namespace. Strict objects throughout: a typo in a key is an error,
// not a silently ignored setting. These schemas check shape only; everything that needs the rest
// of the config (does the field exist, does the value fit it) is in validate.ts.
import { z } from 'zod'
import { ENTITIES, KEY_PATTERN, NAMESPACES, addressProblem, type ConfigItem, type Namespace } from './address'
import { conditionSchema } from './condition'
import { fieldDefSchema, fieldNameSchema, fieldValueJsonSchema } from './field-def'
import { ROLES, VIEW_FORMATS } from './field-types'

const keySchema = z.string().regex(KEY_PATTERN, 'expected an item key (lower-case letters, digits, dashes)')
const labelSchema = z.string().min(1).max(100)
export const roleSchema = z.enum(ROLES)

function unique<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((v, i) => {
      const k = JSON.stringify(v)
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${k} is listed twice` })
      seen.add(k)
    })
  })
}

// ---------------------------------------------------------------------------------------------
// objects

export const objectsContentSchema = z.strictObject({ fields: z.array(fieldDefSchema).max(500) })

// ---------------------------------------------------------------------------------------------
// forms

export const formFieldSchema = z.strictObject({
  field: fieldNameSchema,
  readOnlyFor: unique(roleSchema, 'role').optional(),
  visibleWhen: conditionSchema.optional(),
  label: labelSchema.optional(),
  helpText: z.string().max(500).optional(),
})

export const formSectionSchema = z.strictObject({
  title: labelSchema,
  columns: z.union([z.literal(1), z.literal(2)]),
  fields: z.array(formFieldSchema).max(200),
})

export const formContentSchema = z.strictObject({
  label: labelSchema,
  sections: z.array(formSectionSchema).min(1).max(50),
})

// ---------------------------------------------------------------------------------------------
// views

export const viewColumnSchema = z.strictObject({
  field: fieldNameSchema,
  /** Pixels. */
  width: z.int().min(40).max(1000).optional(),
  format: z.enum(VIEW_FORMATS).optional(),
})

export const viewSortSchema = z.strictObject({
  field: fieldNameSchema,
  direction: z.enum(['asc', 'desc']),
})

export const viewContentSchema = z.strictObject({
  label: labelSchema,
  columns: z.array(viewColumnSchema).max(50),
  filter: conditionSchema.optional(),
  sort: z.array(viewSortSchema).max(5),
  pageSize: z.int().min(1).max(200),
  /** Roles that see the view; absent = everyone with read access. */
  visibleTo: unique(roleSchema, 'role').optional(),
})

// ---------------------------------------------------------------------------------------------
// triggers

export const TRIGGER_EVENTS = [
  'record.created',
  'record.updated',
  'record.deleted',
  'message.received',
  'sla.warning',
  'sla.breached',
  'approval.decided',
  'schedule',
] as const
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number]

const CRON_RANGES: ReadonlyArray<readonly [string, number, number]> = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 6],
]

/** Why a five-field cron expression (numbers, `*`, ranges, steps, lists) is invalid, or null. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5) return 'a cron expression has five fields: minute hour day-of-month month day-of-week'
  for (let i = 0; i < 5; i++) {
    const [name, lo, hi] = CRON_RANGES[i]!
    for (const item of parts[i]!.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item)
      if (!m) return `invalid ${name} "${item}"`
      const nums = [m[2], m[3]].filter((n): n is string => n !== undefined).map(Number)
      if (nums.some((n) => n < lo || n > hi)) return `${name} must be within ${lo}–${hi}`
      if (nums.length === 2 && nums[0]! > nums[1]!) return `${name} range "${item}" runs backwards`
      if (m[4] !== undefined && Number(m[4]) < 1) return `${name} step must be at least 1`
    }
  }
  return null
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

const timeZoneSchema = z.string().min(1).refine(isValidTimeZone, 'expected an IANA time zone, e.g. Europe/Berlin')

export const triggerContentSchema = z
  .strictObject({
    event: z.enum(TRIGGER_EVENTS),
    /** record.updated only: fire only when one of these fields changed. */
    fields: unique(fieldNameSchema, 'field').min(1).optional(),
    /** schedule only: five-field cron. */
    cron: z.string().optional(),
    /** schedule only: the zone the cron is read in (default UTC). */
    timeZone: timeZoneSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.fields !== undefined && t.event !== 'record.updated') {
      ctx.addIssue({ code: 'custom', path: ['fields'], message: 'fields apply to record.updated triggers only' })
    }
    if (t.event === 'schedule') {
      if (t.cron === undefined) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'a schedule trigger needs a cron expression' })
      else {
        const problem = cronProblem(t.cron)
        if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem })
      }
    } else {
      if (t.cron !== undefined) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'cron applies to schedule triggers only' })
      if (t.timeZone !== undefined) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'timeZone applies to schedule triggers only' })
    }
  })

// ---------------------------------------------------------------------------------------------
// conditions

export const conditionContentSchema = z.strictObject({
  label: labelSchema.optional(),
  when: conditionSchema,
})

// ---------------------------------------------------------------------------------------------
// actions

/** createRecord values may copy a field of the triggering record (`id` = the record itself). */
export const copyFromSchema = z.strictObject({ copyFrom: fieldNameSchema })

const setFieldActionSchema = z.strictObject({
  type: z.literal('setField'),
  field: fieldNameSchema,
  /** null clears the field. */
  value: fieldValueJsonSchema.nullable(),
})

const assignActionSchema = z.strictObject({
  type: z.literal('assign'),
  to: z.union([z.strictObject({ userId: z.string().min(1).max(100) }), z.strictObject({ roundRobinRole: roleSchema })]),
})

const addTagActionSchema = z.strictObject({
  type: z.literal('addTag'),
  tag: z.string().min(1).max(50),
})

const createRecordActionSchema = z.strictObject({
  type: z.literal('createRecord'),
  entity: z.enum(ENTITIES),
  values: z.record(fieldNameSchema, z.union([fieldValueJsonSchema, copyFromSchema])),
})

/** `{{field}}` placeholders in a notify message are filled from the record. */
export const MESSAGE_PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g

const notifyActionSchema = z
  .strictObject({
    type: z.literal('notify'),
    users: unique(z.string().min(1).max(100), 'user').optional(),
    roles: unique(roleSchema, 'role').optional(),
    /** User fields of the record whose member is notified (e.g. the case's assignee). */
    userFields: unique(fieldNameSchema, 'field').optional(),
    message: z.string().min(1).max(1000),
  })
  .superRefine((a, ctx) => {
    if (!a.users?.length && !a.roles?.length && !a.userFields?.length) {
      ctx.addIssue({ code: 'custom', path: [], message: 'notify needs at least one recipient (users, roles or userFields)' })
    }
  })

const webhookActionSchema = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  /** Name of the tenant secret used to sign the request (never the secret itself). */
  secretRef: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/, 'expected a secret name')
    .optional(),
  retries: z.int().min(0).max(10),
})

const requestApprovalActionSchema = z.strictObject({
  type: z.literal('requestApproval'),
  approval: keySchema,
})

export const actionContentSchema = z.discriminatedUnion('type', [
  setFieldActionSchema,
  assignActionSchema,
  addTagActionSchema,
  createRecordActionSchema,
  notifyActionSchema,
  webhookActionSchema,
  requestApprovalActionSchema,
])
export const ACTION_TYPES = ['setField', 'assign', 'addTag', 'createRecord', 'notify', 'webhook', 'requestApproval'] as const

// ---------------------------------------------------------------------------------------------
// automations

export const automationContentSchema = z.strictObject({
  label: labelSchema,
  /** The entity the automation runs for; trigger, conditions and actions are keys under it. */
  entity: z.enum(ENTITIES),
  trigger: keySchema,
  /** All must match (AND); an empty list always matches. */
  conditions: unique(keySchema, 'condition').max(20),
  /** Run in this order. */
  actions: z.array(keySchema).min(1, 'needs at least one action').max(20),
  enabled: z.boolean(),
  /** Automations for the same event run in ascending order (ties: by key). */
  order: z.int(),
})

// ---------------------------------------------------------------------------------------------
// approvals

export const approvalStepSchema = z
  .strictObject({
    approverRole: roleSchema.optional(),
    approverUserIds: unique(z.string().min(1).max(100), 'user').min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.approverRole === undefined && s.approverUserIds === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a step names an approverRole or approverUserIds' })
    }
  })

export const approvalContentSchema = z.strictObject({
  label: labelSchema,
  /** Optional, and when given must equal the address's entity (kept for readability of exports). */
  entity: z.enum(ENTITIES).optional(),
  when: conditionSchema,
  steps: z.array(approvalStepSchema).min(1).max(10),
  lockedFields: unique(fieldNameSchema, 'field'),
  onApprove: z.array(keySchema).max(20).optional(),
  onReject: z.array(keySchema).max(20).optional(),
})

// ---------------------------------------------------------------------------------------------
// sla

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'expected HH:MM (00:00–23:59)')

export const businessHoursSchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    /** 0 = Sunday … 6 = Saturday, like Date#getDay. */
    days: unique(z.int().min(0).max(6), 'day').min(1),
    start: hhmm,
    end: hhmm,
  })
  .superRefine((b, ctx) => {
    if (b.start >= b.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' })
  })

export const slaContentSchema = z.strictObject({
  label: labelSchema,
  when: conditionSchema,
  firstResponseMinutes: z.int().min(1).max(525600),
  resolutionMinutes: z.int().min(1).max(525600),
  /** null = around the clock. */
  businessHours: businessHoursSchema.nullable(),
  warnAtPercent: z.int().min(1).max(99),
})

// ---------------------------------------------------------------------------------------------

export const CONTENT_SCHEMAS = {
  objects: objectsContentSchema,
  forms: formContentSchema,
  views: viewContentSchema,
  triggers: triggerContentSchema,
  conditions: conditionContentSchema,
  actions: actionContentSchema,
  automations: automationContentSchema,
  approvals: approvalContentSchema,
  sla: slaContentSchema,
} as const satisfies Record<Namespace, z.ZodType>

export type ObjectsContent = z.infer<typeof objectsContentSchema>
export type FormContent = z.infer<typeof formContentSchema>
export type FormSection = z.infer<typeof formSectionSchema>
export type FormField = z.infer<typeof formFieldSchema>
export type ViewContent = z.infer<typeof viewContentSchema>
export type ViewColumn = z.infer<typeof viewColumnSchema>
export type ViewSort = z.infer<typeof viewSortSchema>
export type TriggerContent = z.infer<typeof triggerContentSchema>
export type ConditionContent = z.infer<typeof conditionContentSchema>
export type ActionContent = z.infer<typeof actionContentSchema>
export type ActionType = ActionContent['type']
export type ActionOf<T extends ActionType> = Extract<ActionContent, { type: T }>
export type AutomationContent = z.infer<typeof automationContentSchema>
export type ApprovalContent = z.infer<typeof approvalContentSchema>
export type ApprovalStep = z.infer<typeof approvalStepSchema>
export type SlaContent = z.infer<typeof slaContentSchema>
export type BusinessHours = z.infer<typeof businessHoursSchema>

/** Parsed content type per namespace. */
export type ContentOf<N extends Namespace> = z.infer<(typeof CONTENT_SCHEMAS)[N]>
/** A config item whose content has been parsed. */
export type TypedConfigItem<N extends Namespace = Namespace> = N extends Namespace ? ConfigItem<ContentOf<N>> & { namespace: N } : never

export function parseContent<N extends Namespace>(namespace: N, content: unknown) {
  return (CONTENT_SCHEMAS[namespace] as unknown as z.ZodType<ContentOf<N>>).safeParse(content)
}

/**
 * The envelope of an item as a client sends it (e.g. saving a draft). Content stays unknown: a
 * draft may be work in progress; validate and publish judge it.
 */
export const configItemSchema = z
  .strictObject({
    namespace: z.enum(NAMESPACES),
    entity: z.string(),
    key: z.string(),
    content: z.unknown(),
  })
  .superRefine((item, ctx) => {
    const problem = addressProblem(item)
    if (problem) ctx.addIssue({ code: 'custom', path: [], message: problem })
  }) as unknown as z.ZodType<ConfigItem>
