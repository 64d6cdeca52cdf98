import type { AslMachine } from "../../../../src/campaign/engines/stepfunctions/asl.js";
import { SYNC_TRAINING_RESOURCE } from "../../../../src/campaign/engines/stepfunctions/child.js";
import { MAP_STATE } from "../../../../src/campaign/engines/stepfunctions/definition.js";
import { editableCopy } from "./fixtures.js";

/**
 * The small, documented edits that let local engines run the real definition (docs/server-side.md,
 * "What the local engines cannot show"). Each returns an edited copy; the generated definition is
 * never changed.
 */

/**
 * For moto 5.2.1: it cannot run `.sync` ("Unsupported sync callback procedure"), so each training
 * task becomes request-response `sagemaker:createTrainingJob` (moto forwards it to its own
 * SageMaker, where jobs complete at once); and its lexer reads the key `RoleArn.$` as the
 * Credentials keyword, so the role comes in as the literal value every item carries.
 */
export function forMoto(definition: AslMachine, trainingRoleArn: string): AslMachine {
  const { copy, child } = editableCopy(definition, MAP_STATE);
  for (const state of Object.values(child)) {
    if (state.Resource !== SYNC_TRAINING_RESOURCE || state.Parameters === undefined) continue;
    state.Resource = "arn:aws:states:::sagemaker:createTrainingJob";
    delete state.Parameters["RoleArn.$"];
    state.Parameters.RoleArn = trainingRoleArn;
  }
  return copy as unknown as AslMachine;
}

/**
 * For aws-local-stepfunctions 3.0.0: it has no Distributed Map, ItemReader, ResultWriter or
 * failure tolerance, so the Map becomes an inline Map over `$.inlineItems` (the items file's
 * contents, put in the input by the test) with the same ItemSelector, child states and
 * MaxConcurrencyPath. Training tasks are then overridden by name in the test.
 */
export function forLocalInterpreter(definition: AslMachine): AslMachine {
  const { copy, map } = editableCopy(definition, MAP_STATE);
  delete map.ItemReader;
  delete map.ResultWriter;
  delete map.ToleratedFailureCountPath;
  map.ItemsPath = "$.inlineItems";
  map.ItemProcessor.ProcessorConfig = { Mode: "INLINE" };
  return copy as unknown as AslMachine;
}
