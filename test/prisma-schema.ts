// What prisma/schema.prisma says the PostgreSQL schema must be, for test/schema.integration.test.ts.
// A small parser of the subset of the Prisma language this project uses: Prisma's DMMF comes
// only from its wasm (bundled privately in the CLI) and the generated client's runtime data
// model carries no native types, nullability or defaults.

export interface ExpectedColumn {
  type: string; // as format_type() prints it
  nullable: boolean;
  default: string | null; // as pg_get_expr() prints it
}

export interface ExpectedTable {
  model: string;
  columns: Record<string, ExpectedColumn>;
  primaryKey: string[];
  /** Unique (non-PK) and plain indexes as "name(col, col DESC)". */
  uniques: string[];
  indexes: string[];
  /** Foreign keys as "name(cols) -> table(cols) ON DELETE x ON UPDATE y". */
  foreignKeys: string[];
}

interface Field {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attrs: Map<string, string>; // attribute name ("id", "db.Uuid", "default"...) -> its arguments
}

const SCALARS: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

// @db.X(args) -> format_type() output.
const NATIVE: Record<string, (arg: string) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  VarChar: (n) => (n ? `character varying(${n})` : "character varying"),
  Char: (n) => `character(${n || 1})`,
  Timestamptz: (p) => `timestamp(${p || 6}) with time zone`,
  Timestamp: (p) => `timestamp(${p || 6}) without time zone`,
  Date: () => "date",
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  JsonB: () => "jsonb",
  Json: () => "json",
};

// Defaults Prisma generates in the client, not in the database.
const CLIENT_DEFAULTS = /^(uuid|cuid|nanoid|ulid)\(/;

const REFERENTIAL: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

/** Contents of the parentheses opening at text[open]. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '"') {
      // An unclosed string ends the search (indexOf's -1 would start it over, for ever).
      const close = text.indexOf('"', i + 1);
      if (close < 0) break;
      i = close;
    } else if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced parentheses in: ${text}`);
}

/** `@name(args)` attributes of a line; prefix "@" for fields, "@@" for blocks. */
function attributes(line: string, prefix: "@" | "@@"): Map<string, string> {
  const out = new Map<string, string>();
  const re = prefix === "@" ? /(?<!@)@([\w.]+)/g : /@@(\w+)/g;
  for (const m of line.matchAll(re)) {
    const end = m.index + m[0].length;
    out.set(m[1], line[end] === "(" ? balanced(line, end) : "");
  }
  return out;
}

const list = (args: string, key = "fields") => {
  const m = new RegExp(`(?:^|${key}:\\s*)\\[([^\\]]*)\\]`).exec(args.trim());
  return m
    ? m[1]
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
};
const named = (args: string, key: string) => new RegExp(`${key}:\\s*"?(\\w+)"?`).exec(args)?.[1];
const quoted = (args: string) => /^"([^"]*)"/.exec(args.trim())?.[1];

export function expectedTables(schema: string): Map<string, ExpectedTable> {
  // Drop comments (no string literal in a schema contains "//").
  const source = schema.replace(/\/\/.*$/gm, "");
  const enums = new Set([...source.matchAll(/^enum\s+(\w+)/gm)].map((m) => m[1]));
  const models = new Map<string, { table: string; fields: Field[]; block: string[] }>();
  // A model's body ends at the "}" alone on its line (a default such as "{}" may hold braces).
  for (const m of source.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const lines = m[2]
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const block = lines.filter((l) => l.startsWith("@@"));
    const fields = lines
      .filter((l) => !l.startsWith("@@"))
      .map((l) => {
        const [, name, type, mod] = /^(\w+)\s+(\w+)(\?|\[\])?/.exec(l) ?? [];
        return { name, type, optional: mod === "?", list: mod === "[]", attrs: attributes(l, "@") };
      });
    const mapped = block.map((l) => attributes(l, "@@").get("map")).find((v) => v !== undefined);
    models.set(m[1], { table: mapped ? quoted(mapped)! : m[1], fields, block });
  }

  const tables = new Map<string, ExpectedTable>();
  for (const [model, { table, fields, block }] of models) {
    const col = (fieldName: string) => {
      const f = fields.find((x) => x.name === fieldName);
      if (!f) throw new Error(`${model}: no field ${fieldName}`);
      const map = f.attrs.get("map");
      return map ? quoted(map)! : f.name;
    };
    // "createdAt(sort: Desc)" -> "createdAt DESC"
    const indexCol = (s: string) => {
      const [, name, args] = /^(\w+)(?:\((.*)\))?$/.exec(s)!;
      return col(name) + (args && /sort:\s*Desc/.test(args) ? " DESC" : "");
    };
    const t: ExpectedTable = { model, columns: {}, primaryKey: [], uniques: [], indexes: [], foreignKeys: [] };
    for (const f of fields) {
      if (models.has(f.type)) {
        const rel = f.attrs.get("relation");
        const from = rel ? list(rel) : [];
        if (from.length === 0) continue; // the back-relation side holds no columns
        const target = models.get(f.type)!;
        const targetCol = (n: string) => {
          const tf = target.fields.find((x) => x.name === n)!;
          return tf.attrs.has("map") ? quoted(tf.attrs.get("map")!)! : n;
        };
        const optional = from.some((n) => fields.find((x) => x.name === n)?.optional);
        const onDelete = REFERENTIAL[named(rel!, "onDelete") ?? (optional ? "SetNull" : "Restrict")];
        const onUpdate = REFERENTIAL[named(rel!, "onUpdate") ?? "Cascade"];
        const cols = from.map(col);
        const name = named(rel!, "map") ?? `${table}_${cols.join("_")}_fkey`;
        t.foreignKeys.push(
          `${name}(${cols.join(", ")}) -> ${target.table}(${list(rel!, "references").map(targetCol).join(", ")}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
        );
        continue;
      }
      const db = [...f.attrs.keys()].find((k) => k.startsWith("db."));
      let type = enums.has(f.type) ? f.type : SCALARS[f.type];
      if (!type) throw new Error(`${model}.${f.name}: unsupported type ${f.type}`);
      if (db) {
        const native = NATIVE[db.slice(3)];
        if (!native) throw new Error(`${model}.${f.name}: unsupported @${db}`);
        type = native(f.attrs.get(db)!.trim());
      }
      const c = col(f.name);
      t.columns[c] = { type: f.list ? `${type}[]` : type, nullable: f.optional, default: dbDefault(f, table, c) };
      if (f.attrs.has("id")) t.primaryKey = [c];
      if (f.attrs.has("unique")) t.uniques.push(`${named(f.attrs.get("unique")!, "map") ?? `${table}_${c}_key`}(${c})`);
    }
    for (const line of block) {
      for (const [attr, args] of attributes(line, "@@")) {
        const cols = list(args).map(indexCol);
        const bare = cols.map((c) => c.replace(/ DESC$/, ""));
        const name = (suffix: string) => named(args, "map") ?? `${table}_${bare.join("_")}_${suffix}`;
        if (attr === "id") t.primaryKey = bare;
        if (attr === "unique") t.uniques.push(`${name("key")}(${cols.join(", ")})`);
        if (attr === "index") t.indexes.push(`${name("idx")}(${cols.join(", ")})`);
      }
    }
    tables.set(table, t);
  }
  return tables;
}

function dbDefault(f: Field, table: string, column: string): string | null {
  const raw = f.attrs.get("default")?.trim();
  if (raw === undefined || CLIENT_DEFAULTS.test(raw)) return null;
  if (raw === "now()") return "CURRENT_TIMESTAMP";
  if (raw === "autoincrement()") {
    const seq = `${table}_${column}_seq`;
    return `nextval('${/^[a-z_][a-z0-9_]*$/.test(seq) ? seq : `"${seq}"`}'::regclass)`;
  }
  const generated = /^dbgenerated\("(.*)"\)$/.exec(raw);
  if (generated) return generated[1];
  if (raw.startsWith('"')) return `'${quoted(raw)}'::${f.type === "Json" ? "jsonb" : "text"}`;
  return raw; // true, false, numbers, enum values
}
