import { stringify } from "yaml";

/**
 * A `hyperparameters:` block for a sweep file with every value fixed to what the best job was
 * sent. Values stay strings (YAML quotes those that would otherwise read as numbers or
 * booleans), so parsing the block gives back exactly the map CreateTrainingJob received.
 */
export function sweepSnippet(
  hyperparameters: Readonly<Record<string, string>>,
  about: {
    readonly campaign: string;
    readonly job: string;
    readonly objective: string;
    readonly value: number;
    readonly simulated?: boolean;
  },
): string {
  const sorted = Object.fromEntries(Object.entries(hyperparameters).sort(([a], [b]) => a.localeCompare(b)));
  const header = [
    `# Best of campaign ${about.campaign}: ${about.job}, ${about.objective} = ${formatMetric(about.value)}${about.simulated === true ? " (simulated)" : ""}.`,
    "# Paste into a sweep file to train this point again (every value fixed, as sent to SageMaker).",
  ].join("\n");
  return `${header}\n${stringify({ hyperparameters: sorted }, { lineWidth: 0 })}`;
}

/** Metrics as shown to people: four decimals, enough to tell mIOU values apart. */
export function formatMetric(value: number): string {
  return value.toFixed(4);
}
