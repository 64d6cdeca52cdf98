import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // forks + isolation: Pulumi's setMocks does not survive vm pools or a shared module cache.
    pool: "forks",
    isolate: true,
    testTimeout: 20_000,
    // `npx vitest run --tags-filter '!slow'` leaves these out while working; `npm test` runs them.
    tags: [
      {
        name: "slow",
        description: "minutes, not seconds: 100,000 S3 objects listed from moto; the live line under tmux",
        timeout: 600_000,
      },
    ],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: "us-east-1",
      // Tests never reach real AWS: fixed fake credentials, never a real profile.
      AWS_ACCESS_KEY_ID: "AKIDSEGSWEEPTEST",
      AWS_SECRET_ACCESS_KEY: "segsweep-test-secret",
      AWS_PROFILE: "",
    },
  },
});
