import { rolesFor } from "@/lib/permissions";
import type { CollectionLimit, FieldDef, RecordValues } from "@/lib/types";
import type { App } from "@/server/app";
import { normalizeRichText } from "@/server/richtext/html";
import { INTERNAL_SIGN_UP_HEADER, internalSignUpKey } from "@/server/auth/sign-up-gate";

export const DEMO_PASSWORD = "tandem-demo";
export const DEMO_ACCOUNTS = [
  { email: "alice@tandem.test", name: "Alice Owner", role: "owner" },
  { email: "dana@tandem.test", name: "Dana Editor", role: "editor" },
  { email: "victor@tandem.test", name: "Victor Viewer", role: "viewer" },
] as const;

const INVENTORY: FieldDef[] = [
  { key: "name", label: "Name", type: "text", required: true, options: { maxLength: 200 } },
  { key: "sku", label: "SKU", type: "text", required: true, options: { maxLength: 40 } },
  { key: "stock", label: "Stock", type: "counter", options: { min: 0 } },
  { key: "price", label: "Price", type: "number", options: { min: 0, format: { currency: "USD" } } },
  { key: "category", label: "Category", type: "select", options: { choices: ["Hardware", "Cables", "Furniture", "Supplies"] } },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["fragile", "bulky", "popular", "seasonal", "clearance"] } },
  { key: "restockOn", label: "Restock on", type: "date" },
  { key: "discontinued", label: "Discontinued", type: "checkbox" },
  { key: "owner", label: "Owner", type: "user" },
  { key: "notes", label: "Notes", type: "longtext" },
  { key: "description", label: "Description", type: "richtext" },
];

const CUSTOMERS: FieldDef[] = [
  { key: "company", label: "Company", type: "text", required: true },
  { key: "tier", label: "Tier", type: "select", options: { choices: ["Free", "Team", "Business", "Enterprise"] }, alwaysAsk: true },
  { key: "arr", label: "Annual revenue", type: "number", options: { min: 0, format: { currency: "USD", decimals: 0 } } },
  { key: "renewal", label: "Renewal date", type: "date" },
  { key: "manager", label: "Account manager", type: "user" },
  { key: "tags", label: "Tags", type: "tags", options: { choices: ["at-risk", "expanding", "reference", "churned"] } },
  { key: "notes", label: "Notes", type: "longtext" },
];

const SEATS: FieldDef[] = [
  { key: "team", label: "Team", type: "text", required: true },
  { key: "seats", label: "Seats", type: "counter", options: { min: 0, max: 100 } },
  { key: "lead", label: "Team lead", type: "user" },
  { key: "notes", label: "Notes", type: "longtext" },
];

const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

/** Seeds the demo workspace once; a database that already has users is left alone. */
export async function seedDemoData(app: App, log: (line: string) => void = console.log): Promise<boolean> {
  const { db, auth, store } = app;
  if ((await db.prisma.user.count()) > 0) return false;
  const users: { id: string; role: string }[] = [];
  for (const account of DEMO_ACCOUNTS) {
    // From inside the server: let through the sign-up gate whether or not open sign-up is on.
    const headers = new Headers({ [INTERNAL_SIGN_UP_HEADER]: internalSignUpKey(app.config.auth.secret) });
    const { user } = await auth.api.signUpEmail({ body: { email: account.email, password: DEMO_PASSWORD, name: account.name }, headers });
    users.push({ id: user.id, role: account.role });
  }
  const owner = users[0]!;
  const editor = users[1]!;
  const workspace = await db.prisma.workspace.create({ data: { name: "Acme Operations" } });
  await db.prisma.membership.createMany({ data: users.map((u) => ({ workspaceId: workspace.id, userId: u.id, role: u.role })) });

  const make = async (name: string, fields: FieldDef[], rows: RecordValues[], limits: CollectionLimit[] = []) => {
    const collection = await db.prisma.collection.create({ data: { workspaceId: workspace.id, name, fields, limits } });
    // The schema's history starts at version 1, by the owner.
    await db.prisma.collectionVersion.create({
      data: { collectionId: collection.id, version: 1, name, fields, removedFields: [], archived: false, limits, authorId: owner.id, changes: {} },
    });
    for (const limit of limits) await db.prisma.collectionTotal.create({ data: { collectionId: collection.id, field: limit.field, used: 0 } });
    for (const [i, values] of rows.entries()) {
      const full = Object.fromEntries(fields.map((f) => [f.key, values[f.key] ?? (f.type === "tags" ? [] : f.type === "checkbox" ? false : null)]));
      const created = await store.create({
        collectionId: collection.id,
        actorId: i % 2 ? editor.id : owner.id,
        roles: rolesFor("record.create"),
        values: full,
      });
      if (created.outcome !== "saved") throw new Error(`seeding ${name} failed: ${created.outcome}`);
    }
  };
  const products = [
    "Desk lamp",
    "USB-C cable",
    "Standing desk",
    "Monitor arm",
    "Office chair",
    "Label printer",
    "HDMI cable",
    "Whiteboard",
    "Paper A4",
    "Keyboard",
    "Mouse",
    "Webcam",
    "Headset",
    "Docking station",
    "Cable ties",
    "Bookshelf",
    "Power strip",
    "Desk mat",
    "Marker set",
    "Router",
  ];
  const descriptions = await Promise.all(products.map((name) => normalizeRichText(`${name}: standard issue.`)));
  await make(
    "Inventory",
    INVENTORY,
    products.map((name, i) => ({
      name,
      sku: `SKU-${1000 + i}`,
      stock: 5 + ((i * 7) % 40),
      price: Math.round((9.99 + i * 13.5) * 100) / 100,
      category: pick(["Hardware", "Cables", "Furniture", "Supplies"], i),
      tags: i % 3 === 0 ? ["popular"] : [],
      restockOn: `2026-12-${String(1 + (i % 28)).padStart(2, "0")}`,
      discontinued: i % 9 === 8,
      owner: pick([owner.id, editor.id], i),
      notes: `Shelf ${String.fromCharCode(65 + (i % 6))}${1 + (i % 4)}\nSupplier: ${pick(["Northwind", "Contoso", "Globex"], i)}`,
      description: descriptions[i],
    })),
  );
  const companies = [
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Soylent",
    "Vandelay",
    "Wonka",
    "Cyberdyne",
    "Tyrell",
    "Gringotts",
    "Monarch",
  ];
  await make(
    "Customer accounts",
    CUSTOMERS,
    companies.map((company, i) => ({
      company,
      tier: pick(["Free", "Team", "Business", "Enterprise"], i),
      arr: 12000 * (i + 1),
      renewal: `2027-0${1 + (i % 9)}-15`,
      manager: pick([owner.id, editor.id], i),
      tags: i % 4 === 0 ? ["expanding"] : [],
      notes: `Kick-off call done.\nNext review in Q${1 + (i % 4)}.`,
    })),
  );
  // A licence of 100 seats over the teams, 90 of them taken: the limit is there to meet.
  const teams = ["Design", "Engineering", "Support", "Sales", "Finance", "Operations"];
  const seats = [12, 30, 14, 16, 8, 10];
  await make(
    "Team seats",
    SEATS,
    teams.map((team, i) => ({ team, seats: seats[i]!, lead: pick([owner.id, editor.id], i), notes: "" })),
    [{ kind: "sum", field: "seats", max: 100 }],
  );
  log(`Seeded the demo workspace "${workspace.name}" (${products.length + companies.length + teams.length} records).`);
  return true;
}
