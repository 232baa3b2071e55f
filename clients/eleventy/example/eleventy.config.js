// An example site: two posts annotated by the glossary service at build time.
//   GLOSSARY_ENDPOINT        the service (default http://127.0.0.1:8000, as `make run` serves it)
//   GLOSSARY_FAIL_ON_ERROR=0 build without annotations, with a warning, when the service is down
import glossaryPlugin from "eleventy-plugin-glossary";

const endpoint = process.env.GLOSSARY_ENDPOINT || "http://127.0.0.1:8000";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(glossaryPlugin, {
    endpoint,
    mode: "bold",
    selector: "article .post-body",
    failOnError: process.env.GLOSSARY_FAIL_ON_ERROR !== "0",
    cacheDir: ".cache/glossary",
  });
  // The layout links the service's stylesheet and popover script.
  eleventyConfig.addGlobalData("glossaryEndpoint", endpoint);
}
