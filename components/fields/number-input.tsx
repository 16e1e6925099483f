"use client";
import { useState } from "react";
import { currencySymbol, formatNumber, formatNumberForInput, parseNumber } from "@/lib/number-format";
import { userLocale } from "@/components/ui/format";
import { INPUT_CLASS, type FieldEditorProps } from "./types";

/**
 * A number typed by the user's locale (N4). The text is kept as typed; the record gets the number
 * it means, or, when it means none ("12,50" in English), the text itself, which no save accepts:
 * the form refuses it with the same message shown here, so nothing is silently changed.
 */
export function NumberInput({ id, def, value, onChange, isReadOnly, isInvalid, describedBy, counter }: FieldEditorProps) {
  const locale = userLocale();
  const format = def.options?.format;
  const external = typeof value === "number" ? formatNumberForInput(value, format, locale) : typeof value === "string" ? value : "";
  const [text, setText] = useState(external);
  const [lastExternal, setLastExternal] = useState(external);
  const [isFocused, setIsFocused] = useState(false);
  if (external !== lastExternal) {
    // The value changed from outside (a save, a merge, someone else): show it unless it is what was typed.
    setLastExternal(external);
    const typed = parseNumber(text, locale, format?.currency);
    if (!typed.ok || typed.value !== value || text.trim() === "") setText(external);
  }
  const parsed = parseNumber(text, locale, format?.currency);
  const commit = (next: string) => {
    setText(next);
    const result = parseNumber(next, locale, format?.currency);
    onChange(result.ok ? result.value : next);
  };
  const isCounter = def.type === "counter";
  const isWhole = isCounter || def.options?.integer === true;
  // On the record page a counter's buttons record operations (deltas), which never conflict;
  // elsewhere (a new record's form) they step the typed value.
  const step = (delta: number) =>
    counter ? counter.onAdjust(delta) : commit(formatNumberForInput((typeof value === "number" ? value : 0) + delta, format, locale));
  const hintId = `${id}-hint`;
  // Shown once the user leaves the field (not while "-" is on its way to "-5"); a save-time error replaces it.
  const hint = !parsed.ok
    ? isFocused || isInvalid
      ? null
      : parsed.message
    : parsed.isGrouped && parsed.value !== null
      ? `Read as ${formatNumber(parsed.value, { ...format, currency: undefined }, locale)}`
      : null;
  const symbol = currencySymbol(format?.currency, locale);
  const input = (
    <div className={`flex items-stretch ${symbol ? "rounded-md shadow-sm" : ""}`}>
      {symbol && (
        <span aria-hidden="true" className="inline-flex items-center rounded-l-md bg-slate-100 px-2.5 text-sm text-slate-700 ring-1 ring-inset ring-slate-300">
          {symbol}
        </span>
      )}
      <input
        id={id}
        type="text"
        inputMode={isWhole ? "numeric" : "decimal"}
        autoComplete="off"
        aria-required={def.required || undefined}
        value={text}
        onChange={(e) => commit(e.target.value)}
        onFocus={() => setIsFocused(true)}
        onBlur={() => setIsFocused(false)}
        readOnly={isReadOnly}
        aria-invalid={isInvalid || (!parsed.ok && !isFocused) || undefined}
        aria-describedby={[describedBy, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
        className={`${INPUT_CLASS} tabular-nums ${symbol ? "rounded-l-none" : ""}`}
      />
    </div>
  );
  const hintLine = hint && (
    <p id={hintId} className={`mt-1 text-xs ${parsed.ok ? "text-slate-600" : "text-rose-700"}`}>
      {hint}
    </p>
  );
  if (!isCounter || isReadOnly) {
    return (
      <div>
        {input}
        {hintLine}
      </div>
    );
  }
  return (
    <div>
      <div className="flex flex-wrap items-stretch gap-1.5">
        <StepButton label="Minus one" onClick={() => step(-1)}>
          −
        </StepButton>
        <div className="w-32">{input}</div>
        <StepButton label="Plus one" onClick={() => step(1)}>
          +
        </StepButton>
        {counter && <AdjustBy id={id} onAdjust={counter.onAdjust} />}
      </div>
      {counter && counter.pending !== 0 && (
        <p data-testid={`pending-${def.key}`} className="mt-1 text-xs text-amber-800">
          {counter.pending > 0 ? `+${counter.pending}` : `−${-counter.pending}`} to save, added to whatever the count is then
        </p>
      )}
      {hintLine}
    </div>
  );
}

/** "Adjust by": a whole number to add (or, negative, to take), recorded as one operation. */
function AdjustBy({ id, onAdjust }: { id: string; onAdjust: (delta: number) => void }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const apply = () => {
    const amount = Number(text.trim().replace(/^\+/, "").replace(/^−/, "-"));
    if (!Number.isSafeInteger(amount) || amount === 0) return setProblem("Type a whole number other than 0, e.g. 5 or -2");
    setProblem(null);
    setText("");
    onAdjust(amount);
  };
  return (
    <div className="flex items-stretch gap-1.5">
      <label htmlFor={`${id}-adjust`} className="sr-only">
        Adjust by
      </label>
      <input
        id={`${id}-adjust`}
        type="text"
        inputMode="numeric"
        placeholder="± n"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            apply();
          }
        }}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-adjust-problem` : undefined}
        className={`${INPUT_CLASS} w-20`}
      />
      <button
        type="button"
        onClick={apply}
        className="rounded-md bg-surface px-2.5 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
      >
        Adjust by
      </button>
      {problem && (
        <p id={`${id}-adjust-problem`} className="w-full text-xs text-rose-700">
          {problem}
        </p>
      )}
    </div>
  );
}

function StepButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="w-9 rounded-md bg-surface text-base font-medium text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {children}
    </button>
  );
}
