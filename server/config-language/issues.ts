// What validation reports. Codes are stable identifiers: the studio maps them to help texts and
// tests assert them, so a code is never renamed, only added.

export const CONFIG_ERROR_CODES = {
  invalid_address: 'The item’s namespace/entity/key is not a valid address for its namespace.',
  invalid_structure: 'The content does not match the namespace’s schema (the path points at the offending value).',
  duplicate_item: 'Two items share one address.',
  duplicate_field: 'A field is listed twice: in an objects catalogue, on one form, in a view’s columns or sort.',
  reserved_field_name: 'A custom field takes a name reserved for the record itself (id, data, version, tenantId, deletedAt).',
  missing_objects: 'An entity has no objects item (its field catalogue).',
  builtin_field_removed: 'A built-in field is missing from its entity’s catalogue.',
  builtin_field_changed: 'A built-in field’s type, lookup target, required flag or product options were changed, or it lost builtIn: true.',
  not_a_builtin_field: 'A field is marked builtIn but is not a built-in field of the entity.',
  invalid_pattern: 'A field’s pattern is not a valid regular expression.',
  unsupported_pattern:
    'A field’s pattern uses syntax the linear-time pattern engine (RE2) does not support: backreferences, lookaround, repeat counts above 1000.',
  invalid_option_default: 'A field’s default is not one of its options or does not fit its type.',
  unknown_field: 'A form, view, condition, trigger, action, approval or SLA policy names a field the entity does not have.',
  operator_type_mismatch: 'A condition uses an operator that does not fit the field’s type.',
  value_type_mismatch: 'A condition’s value does not fit the field (wrong type, or not one of its options).',
  operator_context_mismatch: 'changed/changedTo/changedFrom is used where there is no previous record (views, forms, SLA policies).',
  unknown_reference: 'An item names another item that does not exist (automation parts, condition refs, approval actions, requested approvals).',
  reference_cycle: 'Named conditions refer to each other in a cycle.',
  action_value_mismatch: 'An action sets a value the field does not accept (wrong type, not an option, a system field, a missing required value).',
  unsortable_field: 'A view sorts on a field whose type is not sortable.',
  event_entity_mismatch: 'A trigger’s event cannot happen to its entity (e.g. SLA events outside cases).',
  entity_mismatch: 'An approval’s content names another entity than its address.',
  impossible_condition: 'An SLA policy or approval rule has a condition no record can ever satisfy.',
  field_in_use: 'A field removed since the live config is still used; the message lists every item using it.',
  item_in_use: 'An item removed since the live config is still referenced; the message lists every referrer.',
} as const
export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES

export const CONFIG_WARNING_CODES = {
  empty_view: 'A view has no columns.',
  format_type_mismatch: 'A view column’s format does not suit the field’s type.',
  form_missing_required_field: 'A form lacks a required field without default, so records cannot be created with it alone.',
  disabled_automation_references: 'A disabled automation names a missing trigger, condition or action (an error once enabled).',
  schedule_without_conditions: 'A scheduled automation has no conditions, so it runs for every record of its entity.',
} as const
export type ConfigWarningCode = keyof typeof CONFIG_WARNING_CODES

export type ConfigIssuePath = (string | number)[]

export interface ConfigIssue {
  /** The item's address, `namespace/entity/key`. */
  item: string
  /** Path inside the item's content ([] = the item as a whole). */
  path: ConfigIssuePath
  code: ConfigErrorCode | ConfigWarningCode
  message: string
  /** Addresses of the other items involved (e.g. every referrer of a field still in use). */
  related?: string[]
}

export interface ValidationResult {
  errors: ConfigIssue[]
  warnings: ConfigIssue[]
}
