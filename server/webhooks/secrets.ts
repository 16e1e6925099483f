// Signing secrets: generated here, shown to the owner once, kept sealed (AES-256-GCM under a key
// derived from the server's own secret, so a copy of the database alone cannot forge deliveries),
// and used to sign each attempt (HMAC-SHA256 over the timestamp and the body: lib/webhooks.ts D6).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { signedContent } from "@/lib/webhooks";

export type SecretBox = { seal(secret: string): string; open(sealed: string): string };

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function createSecretBox(serverSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync("sha256", serverSecret, "tandem", "webhook signing secrets", 32));
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${data.toString("base64url")}`;
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || !data) throw new Error("not a sealed webhook secret");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

/** The hex HMAC-SHA256 of `timestamp.body` under one secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(signedContent(timestamp, body)).digest("hex");
}
