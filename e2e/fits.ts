// "Fits the phone": nothing wider than the viewport, outside boxes that scroll by themselves.
import { expect, type Page } from "@playwright/test";

/** Elements reaching past the right edge, outside any scrolling box of their own (a table's wrapper). */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    const scrollsItself = (el: Element | null): boolean => {
      for (let node = el?.parentElement; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.overflowX === "auto" || style.overflowX === "scroll" || style.overflowX === "hidden" || style.overflowX === "clip") return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll("body *")) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || el.closest(".sr-only")) continue;
      if ((rect.right > width + 1 || rect.left < -1) && !scrollsItself(el)) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("data-testid") ? `[${el.getAttribute("data-testid")}]` : ""}`;
        problems.push(`${name} spans ${Math.round(rect.left)}–${Math.round(rect.right)}px: “${(el.textContent ?? "").trim().slice(0, 40)}”`);
      }
    }
    return problems.slice(0, 8);
  });
}

export async function expectFits(page: Page, what: string) {
  await expect.poll(() => overflow(page), { message: `${what} overflows` }).toEqual([]);
}
