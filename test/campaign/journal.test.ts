import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileJournal, journalDir, journalKey, parseJournal } from "../../src/campaign/journal.js";

const here = { account: "123456789012", region: "us-east-1" };

describe("the launch journal", () => {
  it("is kept per account, region and endpoint", () => {
    expect(journalKey(here)).toBe("123456789012-us-east-1");
    expect(journalKey({ ...here, region: "eu-west-1" })).toBe("123456789012-eu-west-1");
    const standin = journalKey({ ...here, endpoint: "http://127.0.0.1:4010" });
    const moto = journalKey({ ...here, endpoint: "http://127.0.0.1:5000" });
    expect(standin).toMatch(/^123456789012-us-east-1-[0-9a-f]{10}$/);
    expect(standin).not.toBe(moto);
    expect(journalDir("/w", "seg", here)).toBe(join("/w", ".segsweep", "seg", "123456789012-us-east-1"));
  });

  it("appends entries one line each, reads them back, and skips a torn last line", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    const journal = fileJournal(cwd, "seg", here);
    expect(await journal.check()).toEqual({ ok: true });
    await journal.append({ type: "created", name: "seg-0123456789ab", at: 1 });
    const path = join(journalDir(cwd, "seg", here), "journal.ndjson");
    writeFileSync(path, `${readFileSync(path, "utf8")}{"type":"ended","name":"seg-01`);
    expect(await journal.load()).toEqual([{ type: "created", name: "seg-0123456789ab", at: 1 }]);
    expect(parseJournal('not json\n{"type":"other"}\n')).toEqual([]);
  });

  it("says why it cannot be written, and reads as empty where it cannot be read", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    writeFileSync(join(cwd, ".segsweep"), "a file");
    const journal = fileJournal(cwd, "seg", here);
    expect(await journal.check()).toMatchObject({ ok: false, reason: expect.stringMatching(/^(ENOTDIR|EEXIST)/) });
    expect(await journal.load()).toEqual([]);
  });
});
