import { describe, expect, it } from "vitest";
import { richTextToPlain } from "./rich-text-plain";

describe("richTextToPlain", () => {
  it.each([
    ["paragraphs become lines", "<p>One</p><p>Two</p>", "One\nTwo"],
    ["inline marks go", '<p>A <strong>bold</strong> and <em>light</em> <a href="https://x.test">link</a></p>', "A bold and light link"],
    ["lists keep bullets", "<ul><li><p>a</p></li><li><p>b</p></li></ul>", "• a\n• b"],
    ["entities are decoded", "<p>Fish &amp; chips &lt;3 &#8364;5 &#x41;</p>", "Fish & chips <3 €5 A"],
    ["empty", "", ""],
    ["null", null, ""],
    ["plain text stays", "no markup", "no markup"],
  ])("%s", (_title, html, expected) => {
    expect(richTextToPlain(html)).toBe(expected);
  });
});
