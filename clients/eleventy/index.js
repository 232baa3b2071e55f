// An Eleventy 3 plugin: annotate glossary terms in each HTML page at build
// time by sending the content under a selector to the glossary service's
// POST /api/annotate, and keep the answers on disk for the next build.

import { parse } from "parse5";

import { AnswerCache } from "./cache.js";
import { parseSelector, selectElements } from "./selector.js";

const MODES = ["bold", "first", "all"];
const NAME = "eleventy-plugin-glossary";

export const DEFAULTS = {
  endpoint: null,
  mode: "bold",
  selector: "main, article",
  failOnError: true,
  cacheDir: ".cache/glossary",
  timeout: 30000,
  concurrency: 4,
};

/** A failure to annotate one page: the service down, or a problem it answered. */
export class GlossaryError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "GlossaryError";
  }
}

/**
 * Add the glossary transform to an Eleventy configuration.
 *
 * @param {object} eleventyConfig Eleventy's configuration API.
 * @param {object} options endpoint (required), mode, selector, failOnError, cacheDir, timeout, concurrency.
 * @throws {Error} when an option is missing or wrong.
 */
export default function glossaryPlugin(eleventyConfig, options = {}) {
  const settings = checkOptions(options);
  const annotator = new Annotator(settings);
  // Each build (also each rebuild under --serve/--watch) asks for the glossary version again.
  eleventyConfig.on("eleventy.before", () => annotator.startBuild());
  eleventyConfig.addTransform("glossary", async function (content) {
    const outputPath = this.page?.outputPath;
    if (typeof outputPath !== "string" || !outputPath.endsWith(".html")) return content;
    return annotator.annotatePage(content, { inputPath: this.page.inputPath, outputPath });
  });
}

export { glossaryPlugin };

function checkOptions(options) {
  const settings = { ...DEFAULTS, ...options };
  let url;
  try {
    url = new URL(settings.endpoint);
  } catch {
    throw new Error(`${NAME}: the endpoint option must be the glossary service's URL, e.g. ` +
      `"https://glossary.example", not ${JSON.stringify(settings.endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${NAME}: the endpoint ${settings.endpoint} is not an http(s) URL`);
  }
  settings.endpoint = url.href.replace(/\/+$/, "");
  if (!MODES.includes(settings.mode)) {
    throw new Error(`${NAME}: unknown mode ${JSON.stringify(settings.mode)}: use one of ${MODES.join(", ")}`);
  }
  try {
    settings.alternatives = parseSelector(settings.selector);
  } catch (error) {
    throw new Error(`${NAME}: ${error.message}`);
  }
  for (const name of ["timeout", "concurrency"]) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1) {
      throw new Error(`${NAME}: the ${name} option must be a positive integer, not ${JSON.stringify(settings[name])}`);
    }
  }
  return settings;
}

class Annotator {
  constructor(settings) {
    this.settings = settings;
    this.cache = new AnswerCache(settings.cacheDir || null);
    this.slots = new Slots(settings.concurrency);
    this.startBuild();
  }

  startBuild() {
    this.version = null;
  }

  /** Return the page with the content of each selected element annotated (unchanged on a tolerated failure). */
  async annotatePage(html, page) {
    const document = parse(html, { sourceCodeLocationInfo: true });
    const ranges = selectElements(document, this.settings.alternatives).map(innerRange).filter(Boolean);
    if (!ranges.length) return html;
    let answers;
    try {
      answers = await Promise.all(ranges.map(([start, end]) => this.annotate(html.slice(start, end), page)));
    } catch (error) {
      if (this.settings.failOnError) {
        if (error instanceof GlossaryError) {
          error.message = `${NAME}: ${error.message} (or set failOnError: false to build without annotations)`;
        }
        throw error;
      }
      console.warn(`[${NAME}] ${error.message}; ${page.outputPath} is written without annotations`);
      return html;
    }
    // Each element's content is swapped for the answer by the parser's
    // source offsets, from the last to the first: the rest of the page
    // (doctype, head, scripts outside the element) stays byte for byte.
    let result = html;
    for (let index = ranges.length - 1; index >= 0; index -= 1) {
      const [start, end] = ranges[index];
      result = result.slice(0, start) + answers[index] + result.slice(end);
    }
    return result;
  }

  /** Return the annotated HTML for one element's content: kept from an earlier build, or from the service. */
  async annotate(fragment, page) {
    const { endpoint, mode } = this.settings;
    const key = this.cache.key(endpoint, mode, fragment);
    const kept = await this.cache.get(key);
    if (kept) {
      const version = await this.glossaryVersion(page);
      if (version !== null && version === kept.glossaryVersion) return kept.html;
    }
    const answer = await this.slots.run(() => this.request(fragment, kept, page));
    if (answer === null) return kept.html;
    await this.cache.put(key, answer);
    return answer.html;
  }

  /** Return the version of the glossary the service annotates with, asked once a build; null if it won't say. */
  glossaryVersion(page) {
    this.version ??= this.fetchVersion(page);
    return this.version;
  }

  async fetchVersion(page) {
    const url = `${this.settings.endpoint}/healthz`;
    const response = await this.send(url, { headers: { Accept: "application/json" } }, page);
    try {
      const body = await response.json();
      return response.ok && typeof body.serving_version === "string" ? body.serving_version : null;
    } catch {
      // Not the glossary's health answer (a proxy's page): every page is asked with If-None-Match instead.
      return null;
    }
  }

  /** POST one fragment; return the entry to keep, or null when the service answers 304 to the kept ETag. */
  async request(fragment, kept, page) {
    const url = `${this.settings.endpoint}/api/annotate`;
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (kept?.etag) headers["If-None-Match"] = kept.etag;
    const body = JSON.stringify({ html: fragment, mode: this.settings.mode });
    const response = await this.send(url, { method: "POST", headers, body }, page);
    if (response.status === 304 && kept) return null;
    const text = await response.text();
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = null;
    }
    if (!response.ok) {
      const detail = answer && answer.title ? `${answer.title}: ${answer.detail ?? ""}` : text.slice(0, 200);
      throw new GlossaryError(`the glossary service at ${this.settings.endpoint} answered ` +
        `${response.status} to POST ${url} for ${describe(page)}: ${detail}`);
    }
    if (!answer || typeof answer.html !== "string") {
      throw new GlossaryError(`the glossary service at ${this.settings.endpoint} did not answer POST ${url} ` +
        `for ${describe(page)} with an annotation (no "html" in the JSON)`);
    }
    return { html: answer.html, etag: response.headers.get("etag"), glossaryVersion: answer.glossary_version ?? null };
  }

  /** Fetch `url`; a service that cannot be reached is a GlossaryError naming the endpoint and the page. */
  async send(url, init, page) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.settings.timeout) });
    } catch (error) {
      const reason = error.cause?.code || error.cause?.message || error.message;
      throw new GlossaryError(`the glossary service at ${this.settings.endpoint} is not answering ` +
        `(${init.method || "GET"} ${url}: ${reason}) while annotating ${describe(page)}. Start the service ` +
        "or correct the endpoint option", { cause: error });
    }
  }
}

function describe(page) {
  return page.inputPath ? `${page.inputPath} (${page.outputPath})` : page.outputPath;
}

/** Return [start, end] of an element's content in the source, or null for an element without one. */
function innerRange(element) {
  const location = element.sourceCodeLocation;
  if (!location?.startTag) return null;
  const start = location.startTag.endOffset;
  // A missing end tag (left implied) ends the content where the element ends.
  const end = location.endTag ? location.endTag.startOffset : location.endOffset;
  return end > start ? [start, end] : null;
}

/** At most `count` requests at a time: a large site does not send all its pages at once. */
class Slots {
  constructor(count) {
    this.free = count;
    this.waiting = [];
  }

  async run(task) {
    if (this.free > 0) this.free -= 1;
    else await new Promise((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
