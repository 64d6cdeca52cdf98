import type { Algorithm, ParameterBounds, ParameterSpec, ParameterType, Requirement, ValueCheck } from "../types.js";
import { checkField, type FieldSlot, NAME_INDEX, SLOTS } from "./fields.js";
import { OBJECTIVE_METRICS } from "./objectives.js";
import { APPLIES_ONLY_WHEN, REQUIRED_WHEN_APPLIES, resolveHyperparameters } from "./resolve.js";
import type { Bounds, HyperparameterKind } from "./schema.js";
import { unknownKeyMessage } from "./schema.js";

/**
 * The semantic segmentation contract behind the `Algorithm` interface. Everything here is read off
 * the contract's single source (schema.ts for per-field rules, resolve.ts for the cross-field
 * ones): bounds are the objects the zod checks are built from, defaults are what the resolver
 * sends, so a tuner checking ranges and the resolver checking points cannot disagree.
 */

const TYPES: Readonly<Record<HyperparameterKind, ParameterType>> = {
  integer: "integer",
  float: "continuous",
  enum: "categorical",
  boolean: "boolean",
  string: "string",
};

/** schema.ts's `{gt, gte, lt, lte}` as open and closed ends. */
function endsOf(bounds: Bounds): ParameterBounds {
  const low = bounds.gt ?? bounds.gte;
  const high = bounds.lt ?? bounds.lte;
  return {
    ...(low !== undefined ? { min: { value: low, inclusive: bounds.gt === undefined } } : {}),
    ...(high !== undefined ? { max: { value: high, inclusive: bounds.lt === undefined } } : {}),
  };
}

function requirement(slot: FieldSlot): Requirement {
  if ((REQUIRED_WHEN_APPLIES as readonly string[]).includes(slot.name)) return "when-applies";
  return slot.fallback !== undefined && !slot.fallback.ok ? "always" : "never";
}

function specOf(slot: FieldSlot): ParameterSpec {
  const { field, fallback, name } = slot;
  const rule = APPLIES_ONLY_WHEN[name];
  return {
    name,
    type: TYPES[field.kind],
    ...(field.bounds !== undefined ? { bounds: endsOf(field.bounds) } : {}),
    ...(field.values !== undefined ? { values: [...field.values] } : {}),
    ...(fallback?.ok ? { default: fallback.sent } : {}),
    required: requirement(slot),
    ...(rule !== undefined ? { appliesWhen: { parameter: rule.on, equals: rule.is } } : {}),
    allowed: field.allowed,
  };
}

const PARAMETERS: readonly ParameterSpec[] = Object.freeze(SLOTS.map(specOf));

function checkValue(name: string, value: unknown): ValueCheck {
  const index = NAME_INDEX[name];
  const slot = index === undefined ? undefined : SLOTS[index];
  if (slot === undefined) return { ok: false, message: unknownKeyMessage(name) };
  const outcome = checkField(slot, value);
  if (!outcome.ok) return { ok: false, message: outcome.error.message };
  return outcome.warning !== undefined
    ? { ok: true, sent: outcome.sent, warning: outcome.warning.message }
    : { ok: true, sent: outcome.sent };
}

/** The SageMaker built-in semantic segmentation algorithm. */
export const semanticSegmentation: Algorithm = {
  id: "semantic-segmentation",
  title: "the semantic segmentation algorithm",
  parameters: PARAMETERS,
  objectiveMetrics: OBJECTIVE_METRICS,
  parameter: (name) => {
    const index = NAME_INDEX[name];
    return index === undefined ? undefined : PARAMETERS[index];
  },
  checkValue,
  resolve: resolveHyperparameters,
  unknownParameterMessage: unknownKeyMessage,
};
