import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** `no-restricted-imports` with these patterns. */
const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: { "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }] },
  },
  // Import boundaries: app -> components -> lib; inside lib, services -> providers -> domain.
  {
    files: ["lib/**/*.ts"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*"], message: "lib never imports app or components." },
    ]),
  },
  {
    files: [
      "lib/speech/**",
      "lib/storage/**",
      "lib/jobs/**",
      "lib/email/**",
      "lib/summary/**",
      "lib/audio/**",
    ],
    rules: restrict([
      { group: ["@/app/*", "@/components/*"], message: "lib never imports app or components." },
      { group: ["@/lib/services", "@/lib/services/*"], message: "Providers never import the service layer." },
    ]),
  },
  {
    files: ["lib/services.ts", "lib/services/**"],
    rules: restrict([
      { group: ["@/app/*", "@/components/*"], message: "lib never imports app or components." },
      {
        group: ["next", "next/*", "@/lib/http/route"],
        message: "server.ts loads the services before Next starts: no Next modules here.",
      },
    ]),
  },
  {
    files: ["lib/domain/**"],
    rules: restrict([
      { regex: "^@/(?!lib/domain/)", message: "The domain imports nothing above it." },
      { group: ["node:*"], message: "The domain is plain TypeScript, safe in the browser." },
    ]),
  },
  {
    files: ["lib/contract/**"],
    rules: restrict([
      { regex: "^@/(?!lib/contract/)", message: "The contract imports only zod and itself." },
      { group: ["node:*"], message: "The contract is imported by the browser." },
    ]),
  },
  {
    files: ["components/**", "lib/client/**", "app/**/*.tsx"],
    rules: restrict([
      {
        regex: "^@/lib/(?!(client|contract|domain)(/|$))",
        message: "Browser code imports only the client, the contract and the domain, never server modules.",
      },
      { group: ["node:*"], message: "Browser code never imports Node modules." },
    ]),
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".cache/**",
      "data/**",
      "scratch/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
