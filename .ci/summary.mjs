// One closing line for CI: the totals of every test runner's JSON report.
import fs from "node:fs";

let passed = 0;
let failed = 0;
const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);
const vitest = read("reports/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
}
const playwright = read("reports/playwright.json");
if (playwright) {
  passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected;
}
if (!vitest) failed += 1; // no report means the suite did not run
console.log(`${passed} passed, ${failed} failed`);
