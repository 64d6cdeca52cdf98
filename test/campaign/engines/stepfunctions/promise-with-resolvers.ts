/**
 * Promise.withResolvers (Node 22) for aws-local-stepfunctions 3.0.0 on Node 20: its Task states
 * call it for their timeout and fail without it. Its build uses no other API newer than Node 20
 * (searched for withResolvers, Array.fromAsync, Object.groupBy, Set methods, Iterator helpers), so
 * this polyfill, imported first by the one test file that runs the library, is all it needs.
 * Chosen over running that file under `npx node@22` so the suite needs no second Node download.
 */
interface WithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
}

const PromiseWithResolvers = Promise as unknown as WithResolvers;
if (PromiseWithResolvers.withResolvers === undefined) {
  PromiseWithResolvers.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}
