import { HYPERPARAMETER_NAMES } from "./fields.js";

/**
 * Builds the map sent (CreateTrainingJob.HyperParameters) from the values of the parameters
 * that apply, keys in table order.
 *
 * Why generated code: adding up to 24 properties by computed name costs about 0.4 µs a point
 * (every store is megamorphic), a third of the resolver's budget at a million points. A sweep
 * has only a few distinct key sets (they depend on optimizer, lr_scheduler and early_stopping),
 * so one object-literal builder per key set is generated once, from the contract's own
 * names (checked to be plain identifiers), never from input; it builds the object in ~10 ns.
 */

type Builder = (values: readonly string[]) => Record<string, string>;

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
for (const name of HYPERPARAMETER_NAMES) {
  if (!IDENTIFIER.test(name)) throw new Error(`hyperparameter name ${JSON.stringify(name)} is not a plain identifier`);
}

const builders = new Map<number, Builder>();
/** A sweep has a handful of key sets; the bound only guards against a pathological caller. */
const BUILDER_LIMIT = 256;

function compile(mask: number): Builder {
  const fields: string[] = [];
  HYPERPARAMETER_NAMES.forEach((name, i) => {
    if (mask & (1 << i)) fields.push(`${name}: values[${i}]`);
  });
  return new Function("values", `return { ${fields.join(", ")} };`) as Builder;
}

/**
 * The map of the parameters whose bit is set in `mask` (bit i = HYPERPARAMETER_NAMES[i]),
 * each with `values[i]`.
 */
export function buildSentMap(mask: number, values: readonly string[]): Record<string, string> {
  let builder = builders.get(mask);
  if (builder === undefined) {
    builder = compile(mask);
    if (builders.size >= BUILDER_LIMIT) builders.clear();
    builders.set(mask, builder);
  }
  return builder(values);
}
