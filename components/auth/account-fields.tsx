"use client";
// Name, email and password inputs shared by the invitation page and first-run setup; each field's
// refusal is shown beside it, and nothing typed is cleared.
import { INPUT_CLASS } from "@/components/fields/types";

export type AccountInput = { name: string; email: string; password: string };

export function AccountFields({
  value,
  onChange,
  errors = {},
  isNew,
}: {
  value: AccountInput;
  onChange: (next: AccountInput) => void;
  errors?: Record<string, string>;
  isNew: boolean;
}) {
  const field = (key: keyof AccountInput, label: string, type: string, autoComplete: string) => (
    <div className="grid gap-1.5">
      <label htmlFor={`account-${key}`} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={`account-${key}`}
        type={type}
        autoComplete={autoComplete}
        value={value[key]}
        onChange={(e) => onChange({ ...value, [key]: e.target.value })}
        aria-invalid={!!errors[key] || undefined}
        aria-describedby={errors[key] ? `account-${key}-error` : undefined}
        className={INPUT_CLASS}
      />
      {errors[key] && (
        <p id={`account-${key}-error`} className="text-sm text-rose-700">
          {errors[key]}
        </p>
      )}
    </div>
  );
  return (
    <>
      {isNew && field("name", "Your name", "text", "name")}
      {field("email", "Email", "email", "email")}
      {field("password", isNew ? "Password (at least 8 characters)" : "Password", "password", isNew ? "new-password" : "current-password")}
    </>
  );
}
