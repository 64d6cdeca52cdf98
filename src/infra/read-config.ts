import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type InfraConfig, InfraConfigError, parseInfraConfig } from "./config.js";

/**
 * Reads the stack's configuration once: every `<project>:*` key (so a misspelt key is an error,
 * not a silently ignored setting) and the AWS provider's region. Throws pulumi.RunError, which
 * Pulumi prints without a stack trace, naming each bad key, its value and what is allowed.
 */
export function readInfraConfig(): InfraConfig {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  }
  try {
    return parseInfraConfig(project, raw, aws.config.region);
  } catch (error) {
    if (error instanceof InfraConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
