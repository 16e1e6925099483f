"use client";
// Stored rich text shown formatted, read-only (history, read-only places). The HTML is parsed by
// the browser's DOMParser (which runs no scripts) and rebuilt as React elements from an allow-list
// of the tags the editor makes; anything else keeps only its text. Links must be http(s) or mailto.
import { createElement, type ReactNode } from "react";
import { richTextToPlain } from "@/lib/rich-text-plain";

const TAGS = new Set(["p", "strong", "b", "em", "i", "u", "s", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "br", "hr", "a"]);
const SAFE_HREF = /^(https?:|mailto:)/i;

function toReact(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  const children = [...element.childNodes].map(toReact);
  if (!TAGS.has(tag)) return <span key={key}>{children}</span>;
  if (tag === "br" || tag === "hr") return createElement(tag, { key });
  if (tag === "a") {
    const href = element.getAttribute("href") ?? "";
    if (!SAFE_HREF.test(href)) return <span key={key}>{children}</span>;
    return (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  }
  return createElement(tag, { key }, ...children);
}

export function RichTextView({ html, className = "" }: { html: string | null; className?: string }) {
  if (!html) return <p className={`text-slate-600 ${className}`}>—</p>;
  if (typeof DOMParser === "undefined") return <p className={`whitespace-pre-wrap ${className}`}>{richTextToPlain(html)}</p>;
  const body = new DOMParser().parseFromString(html, "text/html").body;
  return <div className={`tandem-richtext ${className}`}>{[...body.childNodes].map(toReact)}</div>;
}
