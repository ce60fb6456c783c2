// The config language: one pure module (no I/O) shared by the server (validation, publish, record
// writes), the browser (renderers, studio builders) and the automation engine.
export {
  NAMESPACES,
  NAMESPACES as CONFIG_NAMESPACES,
  ENTITIES,
  NO_ENTITY,
  KEY_PATTERN,
  OBJECTS_KEY,
  ENTITY_RULE,
  addressOf,
  formatAddress,
  addressText,
  parseAddress,
  addressProblem,
  isConfigAddress,
  isEntity,
  addressFields,
  isNamespace,
  compareAddresses,
  type Namespace,
  type Entity,
  type EntitySegment,
  type ConfigItem,
  type ConfigAddress,
  type ConfigAddressParts,
} from './address'
export {
  ROLES,
  FIELD_TYPES,
  OPERATORS,
  VALUELESS_OPERATORS,
  LIST_OPERATORS,
  CHANGE_OPERATORS,
  NUMBER_TYPES,
  TEMPORAL_TYPES,
  TEXT_TYPES,
  VIEW_FORMATS,
  operatorsFor,
  operatorFits,
  isSortable,
  formatsFor,
  type Role,
  type FieldType,
  type Operator,
  type ViewFormat,
} from './field-types'
export { FIELD_NAME_PATTERN, fieldDefSchema, fieldOptionSchema, type FieldDef, type FieldDefInput, type FieldOption } from './field-def'
export {
  BUILT_IN_FIELDS,
  SYSTEM_FIELD_NAMES,
  RESERVED_FIELD_NAMES,
  ASSIGNEE_FIELD,
  TAGS_FIELD,
  DEAL_STAGES,
  CASE_STATUSES,
  CASE_PRIORITIES,
  builtInField,
  isBuiltInFieldName,
  isSystemField,
} from './built-in-fields'
export { ENTITY_INFO, entityOfPath, type EntityInfo, type EntityPath } from './entities'
export { readSnapshotItems } from './snapshot-items'
export { readField, writeField, isEmptyValue, type RecordLike } from './record'
export { isStorableInstant, isStorableDateText, storableDate, STORABLE_RANGE_MESSAGE } from './storable-date'
export { valueFits, conditionValueProblem, fieldValueProblem, isIsoDate, isIsoDateTime, PHONE_PATTERN } from './field-values'
export { patternProblem, patternValueProblem, MAX_PATTERN_LENGTH, MAX_PATTERN_VALUE_LENGTH, type PatternProblem } from './field-pattern'
export {
  conditionSchema,
  evaluateCondition,
  walkCondition,
  conditionFields,
  isFieldCondition,
  ConditionEvaluationError,
  MAX_CONDITION_DEPTH,
  type Condition,
  type FieldCondition,
  type AllCondition,
  type AnyCondition,
  type NotCondition,
  type RefCondition,
  type ConditionValue,
  type EvaluationContext,
  type ConditionResolver,
} from './condition'
export { canEverMatch, usesChangeOperators, findRefCycle } from './condition-analysis'
export * from './schemas'
export {
  buildRecordSchema,
  buildPartialRecordSchema,
  writableFields,
  readOnlyFieldsFor,
  RecordSchemaError,
  REQUIRED_MESSAGE,
  type RecordWrite,
  type RecordPatch,
  type RecordSchemaOptions,
} from './record-schema'
export {
  CONFIG_ERROR_CODES,
  CONFIG_WARNING_CODES,
  type ConfigIssue,
  type ConfigIssuePath,
  type ConfigErrorCode,
  type ConfigWarningCode,
  type ValidationResult,
} from './issues'
export { validateConfigSet, validateItem, type ValidateOptions } from './validate'
export { collectReferences, type ConfigReference } from './references'
export { diffConfigSets, diffContent, mapPath, type ConfigDiff, type ItemDiff, type ConfigChange, type ConfigPath } from './diff'
export { defaultConfig } from './default-config'
export { canonicalJson, checksumInput, sortItems, buildConfigIndex, automationsFor, slaPolicyFor, viewsVisibleTo, type ConfigIndex } from './snapshot'
export { renderMessage } from './message'
export { addBusinessMinutes, isWithinBusinessHours, zonedInstant } from './business-hours'
export { humanIssueMessage, type IssueLike } from './issue-messages'
export { describeConfigDiff, describeItemChanges, describeItemName, fieldLabelsOf, type FieldLabels } from './describe-change'
