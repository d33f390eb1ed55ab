import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("forwards a valid request", async () => {
  const res = await SELF.fetch("https://gate.test/predict", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ age: 30 }) });
  console.log(res.status, await res.text());
});
