import type { Resolution } from "../types.js";
import { type ContractIssue, checkField, type FieldOutcome, type FieldSlot, HYPERPARAMETER_NAMES, NAME_INDEX, SLOTS } from "./fields.js";
import { FIELDS, type HyperparameterName, unknownKeyMessage } from "./schema.js";
import { buildSentMap } from "./sent-map.js";

/**
 * From one sweep point to exactly what CreateTrainingJob.HyperParameters receives: every field
 * checked on its own (fields.ts, by the schema in schema.ts), then the cross-field rules here as
 * plain code, then the map of strings with every applicable default filled in.
 */

export type { Resolution };

/**
 * Parameters the algorithm ignores unless another parameter has a given value (HP-doc): those
 * are warned about when set and never sent. `is` is the controlling value as sent.
 */
export const APPLIES_ONLY_WHEN: Readonly<Partial<Record<HyperparameterName, { readonly on: HyperparameterName; readonly is: string }>>> = {
  momentum: { on: "optimizer", is: "sgd" },
  weight_decay: { on: "optimizer", is: "sgd" },
  gamma1: { on: "optimizer", is: "rmsprop" },
  gamma2: { on: "optimizer", is: "rmsprop" },
  lr_scheduler_factor: { on: "lr_scheduler", is: "step" },
  lr_scheduler_step: { on: "lr_scheduler", is: "step" },
  early_stopping_min_epochs: { on: "early_stopping", is: "True" },
  early_stopping_patience: { on: "early_stopping", is: "True" },
  early_stopping_tolerance: { on: "early_stopping", is: "True" },
};

/**
 * Parameters that must be set wherever they apply (HP-doc: lr_scheduler_step is "required when
 * lr_scheduler=step"); checked below, and exposed by the Algorithm interface.
 */
export const REQUIRED_WHEN_APPLIES = ["lr_scheduler_step"] as const satisfies readonly (keyof typeof APPLIES_ONLY_WHEN)[];

const indexOf = (name: HyperparameterName): number => NAME_INDEX[name] ?? -1;

/** Per slot: the controlling parameter's index and the value it must have, for conditional parameters. */
const CONDITIONS = HYPERPARAMETER_NAMES.map((name) => {
  const rule = APPLIES_ONLY_WHEN[name];
  if (rule === undefined) return undefined;
  if (!FIELDS[rule.on].schema.safeParse(rule.is).success)
    throw new Error(`APPLIES_ONLY_WHEN.${name}: ${rule.is} is not a value of ${rule.on}`);
  return { on: indexOf(rule.on), is: rule.is };
});
const LR_SCHEDULER = indexOf("lr_scheduler");
const LR_SCHEDULER_STEP = indexOf("lr_scheduler_step");
const EARLY_STOPPING_MIN_EPOCHS = indexOf("early_stopping_min_epochs");
const EPOCHS = indexOf("epochs");

const NO_ISSUES: readonly ContractIssue[] = Object.freeze([]);

/** Messages are built once per (key) or (parameter, controlling value): a grid repeats them a million times. */
const MESSAGE_CACHE_LIMIT = 4096;
const unknownKeyMessages = new Map<string, string>();
const ignoredMessages = new Map<string, string>();

function unknownKey(key: string, value: unknown): ContractIssue {
  let message = unknownKeyMessages.get(key);
  if (message === undefined) {
    message = unknownKeyMessage(key);
    if (unknownKeyMessages.size < MESSAGE_CACHE_LIMIT) unknownKeyMessages.set(key, message);
  }
  return { key, message, value };
}

function ignoredMessage(name: HyperparameterName, controllerSent: string, byDefault: boolean): string {
  const cacheKey = `${name}\u0000${controllerSent}\u0000${byDefault}`;
  let message = ignoredMessages.get(cacheKey);
  if (message === undefined) {
    const rule = APPLIES_ONLY_WHEN[name];
    const controller = rule?.on ?? "";
    message = `${name} is ignored when ${controller} is ${controllerSent}${byDefault ? " (the default)" : ""}; it applies only when ${controller} is ${rule?.is}, so it is not sent`;
    if (ignoredMessages.size < MESSAGE_CACHE_LIMIT) ignoredMessages.set(cacheKey, message);
  }
  return message;
}

// Scratch space of the resolver, which is synchronous and never re-entered: no per-call arrays.
const given: (FieldOutcome | undefined)[] = new Array<FieldOutcome | undefined>(SLOTS.length).fill(undefined);
const toSend: string[] = new Array<string>(SLOTS.length).fill("");

/** What a parameter resolves to in this point: its given outcome, else its default (or required error, or nothing). */
function effective(slotIndex: number): FieldOutcome | undefined {
  return given[slotIndex] ?? SLOTS[slotIndex]?.fallback;
}
/** A parameter's value as sent, or undefined when it is invalid (its error is reported) or absent. */
function sentOf(slotIndex: number): string | undefined {
  const outcome = effective(slotIndex);
  return outcome?.ok ? outcome.sent : undefined;
}
function checkedValue(slotIndex: number): unknown {
  const outcome = effective(slotIndex);
  return outcome?.ok ? outcome.value : undefined;
}

/**
 * The keys of the previous point by position: the expander builds every point of a sweep with the
 * same keys in the same order, so a string comparison usually replaces the name lookup.
 */
const MEMO_POSITIONS = 64;
const keyAt: (string | undefined)[] = new Array<string | undefined>(MEMO_POSITIONS).fill(undefined);
const indexAt: (number | undefined)[] = new Array<number | undefined>(MEMO_POSITIONS).fill(undefined);

function readEntry(key: string, raw: unknown, position: number, errors: ContractIssue[] | undefined): ContractIssue[] | undefined {
  if (raw === undefined) return errors;
  let slotIndex: number | undefined;
  if (position < MEMO_POSITIONS && keyAt[position] === key) slotIndex = indexAt[position];
  else {
    slotIndex = NAME_INDEX[key];
    if (position < MEMO_POSITIONS) {
      keyAt[position] = key;
      indexAt[position] = slotIndex;
    }
  }
  if (slotIndex === undefined) (errors ??= []).push(unknownKey(key, raw));
  else given[slotIndex] = checkField(SLOTS[slotIndex] as FieldSlot, raw);
  return errors;
}

/** Checks each field of the point alone into `given`; returns the unknown-key errors. */
function readPoint(point: Readonly<Record<string, unknown>>): ContractIssue[] | undefined {
  let errors: ContractIssue[] | undefined;
  let position = 0;
  const proto: unknown = Object.getPrototypeOf(point);
  if (proto === Object.prototype || proto === null) {
    // for-in over a plain object lets V8 read point[key] through its enum cache, the fastest way in.
    // Object.prototype has no enumerable keys (were it polluted, its keys would be reported as unknown).
    for (const key in point) errors = readEntry(key, point[key], position++, errors);
  } else {
    for (const key of Object.keys(point)) errors = readEntry(key, point[key], position++, errors);
  }
  return errors;
}

/**
 * One point's values (YAML scalars: string | number | boolean) -> exactly what
 * CreateTrainingJob.HyperParameters gets: a string for every parameter that applies to the
 * point, defaults filled in, in table order. Never throws on bad input: all errors are returned.
 */
export function resolveHyperparameters(point: Readonly<Record<string, unknown>>): Resolution {
  for (let i = 0; i < given.length; i++) given[i] = undefined;
  let warnings: ContractIssue[] | undefined;

  let errors = readPoint(point);

  let mask = 0; // bit i: parameter i is sent
  for (let i = 0; i < SLOTS.length; i++) {
    const slot = SLOTS[i] as FieldSlot;
    const outcome = given[i];
    if (outcome !== undefined && !outcome.ok) (errors ??= []).push(outcome.error); // even when ignored: a typo is a typo
    const condition = CONDITIONS[i];
    if (condition !== undefined) {
      const controllerSent = sentOf(condition.on);
      if (controllerSent !== undefined && controllerSent !== condition.is) {
        if (outcome?.ok) {
          const message = ignoredMessage(slot.name, controllerSent, given[condition.on] === undefined);
          (warnings ??= []).push({ key: slot.name, message, value: point[slot.name] });
        }
        continue;
      }
    }
    const result = outcome ?? slot.fallback;
    if (result === undefined) continue;
    if (!result.ok) {
      if (outcome === undefined) (errors ??= []).push(result.error); // required and missing
      continue;
    }
    mask |= 1 << i;
    toSend[i] = result.sent;
    if (result.warning !== undefined) (warnings ??= []).push(result.warning);
  }

  // lr_scheduler=step needs its epochs; an epoch the training never reaches is a decay that never happens.
  if (sentOf(LR_SCHEDULER) === APPLIES_ONLY_WHEN[REQUIRED_WHEN_APPLIES[0]]?.is) {
    const steps = given[LR_SCHEDULER_STEP];
    const epochs = checkedValue(EPOCHS);
    if (steps === undefined) {
      const message = `lr_scheduler_step is required when lr_scheduler is step; allowed: ${FIELDS.lr_scheduler_step.allowed}`;
      (errors ??= []).push({ key: "lr_scheduler_step", message });
    } else if (steps.ok && typeof epochs === "number") {
      const late = (steps.value as readonly number[]).filter((epoch) => epoch >= epochs);
      if (late.length > 0) {
        const which = late.length === 1 ? `epoch ${late[0]}` : `epochs ${late.join(", ")}`;
        const message = `lr_scheduler_step: the decay after ${which} never happens, because training runs ${epochs} epochs`;
        (warnings ??= []).push({ key: "lr_scheduler_step", value: point.lr_scheduler_step, message });
      }
    }
  }

  // Early stopping that cannot stop anything before the last epoch.
  if (mask & (1 << EARLY_STOPPING_MIN_EPOCHS)) {
    const minEpochs = checkedValue(EARLY_STOPPING_MIN_EPOCHS);
    const epochs = checkedValue(EPOCHS);
    if (typeof minEpochs === "number" && typeof epochs === "number" && minEpochs >= epochs) {
      const message = `early_stopping_min_epochs: ${minEpochs} is not less than epochs (${epochs}), so early stopping can never end training early`;
      (warnings ??= []).push({ key: "early_stopping_min_epochs", value: point.early_stopping_min_epochs ?? minEpochs, message });
    }
  }

  if (errors !== undefined) return { ok: false, errors, warnings: warnings ?? NO_ISSUES };
  return { ok: true, hyperparameters: buildSentMap(mask, toSend), warnings: warnings ?? NO_ISSUES };
}
