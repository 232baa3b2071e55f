// Answers of the glossary service kept on disk between builds: one JSON file
// per (endpoint, mode, input), holding the answer's html, ETag and glossary version.

import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export class AnswerCache {
  /**
   * Keep answers under `folder` (created when the first answer is written).
   *
   * @param {string|null} folder a folder, or null to keep nothing.
   */
  constructor(folder) {
    this.folder = folder ? path.resolve(folder) : null;
  }

  /** Return the key of an input: a hash of the endpoint, the mode and the HTML sent. */
  key(endpoint, mode, html) {
    return createHash("sha256").update(JSON.stringify([endpoint, mode])).update("\0").update(html).digest("hex");
  }

  /** Return the kept entry `{html, etag, glossaryVersion}` for `key`, or null. */
  async get(key) {
    if (!this.folder) return null;
    try {
      const entry = JSON.parse(await readFile(this.file(key), "utf8"));
      return typeof entry.html === "string" ? entry : null;
    } catch {
      // Missing, or half-written by a build that was stopped: not kept.
      return null;
    }
  }

  /** Keep `entry` for `key`; a reader never sees a half-written file. */
  async put(key, entry) {
    if (!this.folder) return;
    await mkdir(this.folder, { recursive: true });
    const file = this.file(key);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, file);
  }

  file(key) {
    return path.join(this.folder, `${key}.json`);
  }
}
