// The Azure deployment (infra/, azure.yaml) checked offline: every Bicep file parses with the
// tree-sitter-bicep grammar; modules get exactly the params they declare; the essentials are there
// (managed identity and data roles instead of keys, sticky web app with probes on /api/health and
// built-in Entra ID sign-in, a worker scaled on the job queue); and the settings the Bicep gives the
// apps are ones the app reads: evaluated for several deployments and fed to the app's parseConfig().
import fs from "node:fs";
import path from "node:path";
import { parseConfig, type AppConfig } from "@/lib/config";
import { workerStorageProblem } from "@/scripts/worker";
import {
  BicepFail,
  bicepFiles,
  evaluator,
  isExpression,
  literal,
  parseBicep,
  type BicepFile,
  type BicepValue,
  type Declaration,
  type Literal,
} from "../helpers/bicep";

const root = path.join(__dirname, "..", "..");
const infra = path.join(root, "infra");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** Settings the Bicep sets before lib/config reads them (none now: every one must be read). */
const PLANNED = new Set<string>([]);
/** Read by @azure/identity's DefaultAzureCredential, not by lib/config: the user-assigned identity. */
const SDK = new Set(["AZURE_CLIENT_ID"]);

/** The variables lib/config reads: the keys of its zod schema. */
function configVariables(): Set<string> {
  const source = read("lib/config/index.ts");
  const start = source.indexOf("const envSchema = z.object({");
  const end = source.indexOf("\n});", start);
  expect(start).toBeGreaterThan(-1);
  const names = [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
  expect(names.length).toBeGreaterThan(50);
  return new Set(names);
}

/** The run stage's ENV of the Dockerfile: what every container starts with. */
function imageEnv(): Record<string, string> {
  const dockerfile = read("Dockerfile");
  const runStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const block of runStage.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of block[1]!.replace(/\\\n/g, " ").matchAll(/([A-Z_]+)=(\S+)/g)) env[pair[1]!] = pair[2]!;
  }
  return env;
}

let files: Map<string, BicepFile>;
const bicep = (file: string) => {
  const found = files.get(path.join(infra, file));
  if (!found) throw new Error(`no ${file}`);
  return found;
};
const decl = (file: string, kind: Declaration["kind"], name: string) => {
  const found = bicep(file).declarations.find((d) => d.kind === kind && d.name === name);
  if (!found) throw new Error(`${file}: no ${kind} ${name}`);
  return found;
};
/** A resource's body in its literal view. */
const body = (file: string, name: string) =>
  literal(decl(file, "resource", name).value) as Record<string, Literal>;
/** Follows a path of keys (and array indexes) through a literal. */
function at(value: Literal | undefined, ...keys: Array<string | number>): Literal | undefined {
  let current: Literal | undefined = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || isExpression(current)) return undefined;
    current = (current as Record<string, Literal>)[key as string];
  }
  return current;
}
const expr = (value: Literal | undefined) => (isExpression(value) ? value.$expr : value);

beforeAll(async () => {
  files = new Map();
  for (const file of bicepFiles(infra)) files.set(file, await parseBicep(file));
});

describe("Bicep files", () => {
  it("all parse without syntax errors", () => {
    expect(files.size).toBeGreaterThanOrEqual(10);
    for (const file of files.values())
      expect({ file: file.file, errors: file.errors }).toEqual({ file: file.file, errors: [] });
  });

  it("give every module exactly the params it declares, all the required ones", () => {
    let checked = 0;
    for (const file of files.values()) {
      for (const moduleDecl of file.declarations.filter((d) => d.kind === "module")) {
        const target = files.get(path.join(path.dirname(file.file), moduleDecl.type));
        expect(target).toBeDefined();
        const declared = target!.declarations.filter((d) => d.kind === "param");
        const given = Object.keys((at(literal(moduleDecl.value), "params") ?? {}) as object);
        expect({
          module: moduleDecl.name,
          unknown: given.filter((name) => !declared.some((d) => d.name === name)),
        }).toEqual({
          module: moduleDecl.name,
          unknown: [],
        });
        const required = declared.filter((d) => d.value === null).map((d) => d.name);
        expect({
          module: moduleDecl.name,
          missing: required.filter((name) => !given.includes(name)),
        }).toEqual({
          module: moduleDecl.name,
          missing: [],
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("use no keys or connection strings: the apps' managed identity gets data roles", () => {
    for (const file of files.values()) {
      expect({
        file: file.file,
        keys: /listKeys|AccountKey=|connectionString|CONNECTION_STRING/i.test(file.source),
      }).toEqual({ file: file.file, keys: false });
    }
    const account = body("modules/storage.bicep", "account");
    expect(at(account, "properties", "allowSharedKeyAccess")).toBe(false);
    expect(at(account, "properties", "allowBlobPublicAccess")).toBe(false);
    const roles = literal(decl("modules/storage.bicep", "var", "roles").value);
    expect(roles).toEqual({
      storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
      storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
      storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    });
    for (const [file, resource, role] of [
      ["modules/speech.bicep", "speech", "f2dc8367-1007-4938-bd23-fe263f013447"], // Cognitive Services Speech User
      ["modules/openai.bicep", "openai", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"], // Cognitive Services OpenAI User
    ] as const) {
      expect(at(body(file, resource), "properties", "disableLocalAuth")).toBe(true);
      expect(at(body(file, resource), "properties", "customSubDomainName")).toBeDefined();
      expect(bicep(file).source).toContain(`'${role}'`);
    }
    expect(at(body("modules/registry.bicep", "registry"), "properties", "adminUserEnabled")).toBe(false);
    expect(bicep("modules/registry.bicep").source).toContain("'7f951dda-4ed3-4680-a7ca-43fe172d538d'"); // AcrPull
    // Both apps run as the user-assigned identity and pull with it.
    for (const file of ["modules/web-app.bicep", "modules/worker-app.bicep"]) {
      const app = body(file, "app");
      expect(at(app, "identity", "type")).toBe("UserAssigned");
      expect(expr(at(app, "properties", "configuration", "registries"))).toContain("identity: identityId");
    }
    const main = literal(decl("main.bicep", "module", "settings").value);
    expect(expr(at(main, "params", "storageAccountName"))).toBe("storage.outputs.name");
    expect(expr(at(main, "params", "identityClientId"))).toBe("identity.outputs.clientId");
    for (const name of ["storage", "registry", "speech", "openAi"]) {
      expect(expr(at(literal(decl("main.bicep", "module", name).value), "params", "principalId"))).toBe(
        "identity.outputs.principalId",
      );
    }
  });

  it("run the web app sticky, probed on /api/health, behind Entra ID sign-in in entra mode", () => {
    const app = body("modules/web-app.bicep", "app");
    const port = literal(decl("modules/web-app.bicep", "var", "port").value);
    expect(port).toBe(Number(/^EXPOSE (\d+)$/m.exec(read("Dockerfile"))?.[1]));
    expect(port).toBe(Number(imageEnv().PORT));
    const ingress = at(app, "properties", "configuration", "ingress");
    expect(at(ingress, "external")).toBe(true);
    expect(expr(at(ingress, "targetPort"))).toBe("port");
    expect(at(ingress, "stickySessions", "affinity")).toBe("sticky");
    const probes = at(app, "properties", "template", "containers", 0, "probes") as Literal[];
    const byType = Object.fromEntries(probes.map((probe) => [at(probe, "type") as string, probe]));
    expect(Object.keys(byType).sort()).toEqual(["Liveness", "Readiness", "Startup"]);
    expect(at(byType.Readiness, "httpGet", "path")).toBe("/api/health");
    // Container Apps' limits (the API refuses values beyond them).
    for (const probe of probes) {
      expect(Number(at(probe, "failureThreshold") ?? 3)).toBeLessThanOrEqual(10);
      expect(Number(at(probe, "initialDelaySeconds") ?? 1)).toBeGreaterThanOrEqual(1);
      expect(Number(at(probe, "initialDelaySeconds") ?? 1)).toBeLessThanOrEqual(60);
      expect(Number(at(probe, "periodSeconds") ?? 10)).toBeLessThanOrEqual(240);
      expect(Number(at(probe, "timeoutSeconds") ?? 1)).toBeLessThanOrEqual(240);
    }
    const auth = decl("modules/web-app.bicep", "resource", "authConfig");
    expect(auth.condition).toBe("(authMode == 'entra')");
    const authBody = literal(auth.value);
    expect(at(authBody, "properties", "globalValidation", "unauthenticatedClientAction")).toBe(
      "RedirectToLoginPage",
    );
    expect(at(authBody, "properties", "identityProviders", "azureActiveDirectory", "enabled")).toBe(true);
    expect(
      expr(
        at(authBody, "properties", "identityProviders", "azureActiveDirectory", "registration", "clientId"),
      ),
    ).toContain("fail(");
  });

  it("run the worker without ingress, the job loop itself, scaled on the job queue with the identity", () => {
    const app = body("modules/worker-app.bicep", "app");
    expect(at(app, "properties", "configuration", "ingress")).toBeUndefined();
    const command = at(app, "properties", "template", "containers", 0, "command") as string[];
    expect(command).toEqual(["node", "--import", "tsx", "scripts/worker.ts"]);
    expect(fs.existsSync(path.join(root, command[3]!))).toBe(true);
    const rule = at(app, "properties", "template", "scale", "rules", 0);
    expect(at(rule, "azureQueue", "identity")).toEqual({ $expr: "identityId" });
    expect(at(rule, "azureQueue", "accountName")).toEqual({ $expr: "storageAccountName" });
    const worker = literal(decl("main.bicep", "module", "worker").value);
    // The queue the scaler watches is the one the apps use (JOBS_QUEUE below).
    expect(expr(at(worker, "params", "queueName"))).toBe("data.jobsQueue");
    expect(expr(at(literal(decl("main.bicep", "module", "settings").value), "params", "jobsQueue"))).toBe(
      "data.jobsQueue",
    );
    expect(decl("main.bicep", "module", "worker").condition).toBe("(deployWorker)");
  });

  it("refuse a deployment missing what its modes need, with a message naming the setting", () => {
    const main = bicep("main.bicep");
    const secrets = (params: Record<string, BicepValue>) =>
      evaluator(main, { authSecret: "s".repeat(48), ...params }).value("secretValues");
    expect(() => secrets({ authMode: "password", authUsers: "" })).toThrow(
      new BicepFail("authMode password needs authUsers (AUTH_USERS): the users and their password hashes"),
    );
    expect(secrets({ authMode: "password", authUsers: "alice:hash" })).toMatchObject({
      "auth-users": "alice:hash",
    });
    expect(secrets({ authMode: "entra" })).toMatchObject({ "auth-users": "" });
    expect(main.source).toMatch(/emailProvider == 'smtp' && empty\(smtpHost\) \? fail\(/);
    expect(main.source).toMatch(/emailProvider == 'resend' && empty\(resendApiKey\)\s+\? fail\(/);
  });
});

describe("app settings", () => {
  const base: Record<string, BicepValue> = {
    storageAccountName: "sttranscribeabc123",
    identityClientId: "00000000-0000-0000-0000-00000000c1d0",
    recordingsContainer: "recordings",
    transcriptsContainer: "transcripts",
    liveContainer: "live",
    transcriptsTable: "transcripts",
    jobsTable: "jobs",
    jobsQueue: "transcriptions",
    deployWorker: true,
    jobsConcurrency: 1,
    webSpeechThreads: 1,
    workerSpeechThreads: 2,
    speechProvider: "local",
    summaryProvider: "local",
    emailProvider: "outbox",
    authMode: "none",
    publicOrigins: ["https://ca-web-abc.happyhill-1234.westeurope.azurecontainerapps.io"],
  };
  const azureSpeech = {
    speechProvider: "azure",
    speechResourceId:
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-t/providers/Microsoft.CognitiveServices/accounts/spch-transcribe-abc",
    speechEndpoint: "https://spch-transcribe-abc.cognitiveservices.azure.com/",
    speechRegion: "westeurope",
  };
  const deployments: Array<[string, Record<string, BicepValue>]> = [
    ["the defaults: local engine and summaries, outbox, a worker app, no sign-in", {}],
    [
      "password sign-in, Azure AI Speech, Azure OpenAI, SMTP",
      {
        authMode: "password",
        ...azureSpeech,
        summaryProvider: "azure-openai",
        openAiEndpoint: "https://oai-transcribe-abc.openai.azure.com/",
        openAiDeployment: "summary",
        emailProvider: "smtp",
        emailFrom: "Transcribe <transcribe@example.com>",
        smtpHost: "smtp.example.com",
        smtpUser: "transcribe",
        hasSmtpPassword: true,
      },
    ],
    [
      "Entra ID sign-in with an allow-list, Resend, jobs in the web app",
      {
        authMode: "entra",
        entraTenantId: "11111111-1111-1111-1111-111111111111",
        entraAllowedUsers: "alice@example.com,bob@example.com",
        emailProvider: "resend",
        hasResendApiKey: true,
        deployWorker: false,
      },
    ],
  ];
  /** Stand-ins for the Container App secrets. */
  const secretValues: Record<string, string> = {
    "auth-secret": "a".repeat(48),
    // The shape `npm run hash-password` prints (a 16-byte salt, a 64-byte key, base64url).
    "auth-users": `alice:scrypt:${"A".repeat(22)}:${"B".repeat(86)}`,
    "smtp-password": "smtp-password",
    "resend-api-key": "re_placeholder",
  };
  const mainSecrets = () => Object.keys(literal(decl("main.bicep", "var", "secretValues").value) as object);

  type EnvEntry = { name: string; value?: string; secretRef?: string };
  function settings(params: Record<string, BicepValue>) {
    const outputs = evaluator(bicep("modules/app-settings.bicep"), { ...base, ...params }).outputs();
    return {
      web: outputs.webEnv as EnvEntry[],
      worker: outputs.workerEnv as EnvEntry[],
      webSecrets: outputs.webSecretNames as string[],
      workerSecrets: outputs.workerSecretNames as string[],
    };
  }
  /** What the process sees: the image's ENV, then the app's env (secrets resolved). */
  function processEnv(entries: EnvEntry[]): Record<string, string> {
    const env: Record<string, string> = { ...imageEnv() };
    for (const entry of entries)
      env[entry.name] = entry.secretRef ? secretValues[entry.secretRef]! : entry.value!;
    return env;
  }
  const names = (entries: EnvEntry[]) => entries.map((entry) => entry.name);

  it.each(deployments)(
    "%s: every variable is one the app reads (or a planned one), set once",
    (_, params) => {
      const known = configVariables();
      const { web, worker, webSecrets, workerSecrets } = settings(params);
      for (const [entries, secrets] of [
        [web, webSecrets],
        [worker, workerSecrets],
      ] as const) {
        const unknown = names(entries).filter(
          (name) => !known.has(name) && !SDK.has(name) && !PLANNED.has(name),
        );
        expect(unknown).toEqual([]);
        expect(new Set(names(entries)).size).toBe(entries.length);
        for (const entry of entries) {
          expect(Object.keys(entry).sort()).toEqual(
            entry.secretRef ? ["name", "secretRef"] : ["name", "value"],
          );
          if (entry.secretRef) expect(secrets).toContain(entry.secretRef);
          else expect(typeof entry.value).toBe("string");
        }
        for (const secret of secrets) {
          expect(mainSecrets()).toContain(secret);
          expect(entries.some((entry) => entry.secretRef === secret)).toBe(true);
        }
      }
      // Keys and passwords only ever as secrets.
      for (const entry of [...web, ...worker]) {
        if (/SECRET|PASSWORD|_KEY$|USERS$/.test(entry.name) && entry.name !== "AUTH_ENTRA_USERS") {
          expect(entry.secretRef).toBeDefined();
        }
      }
    },
  );

  it.each(deployments)("%s: the web app's settings parse into the configuration meant", (_, params) => {
    const given = { ...base, ...params };
    const { web } = settings(params);
    const env = processEnv(web);
    const config: AppConfig = parseConfig(env, "/app");
    expect(config.env).toBe("production");
    expect(config.server).toEqual({ port: 3000, host: "0.0.0.0", trustProxy: true });
    expect(config.storage).toMatchObject({
      provider: "azure",
      credential: { kind: "entra-id", accountName: given.storageAccountName },
      recordingsContainer: "recordings",
      transcriptsTable: "transcripts",
    });
    expect(env.AZURE_CLIENT_ID).toBe(given.identityClientId);
    expect(config.jobs).toMatchObject({
      worker: given.deployWorker ? "off" : "in-process",
      queue: given.jobsQueue,
    });
    expect(config.speech).not.toHaveProperty("problem");
    expect(config.speech.provider).toBe(given.speechProvider);
    if (config.speech.provider === "azure" && "azure" in config.speech) {
      expect(config.speech.azure).toMatchObject({
        entraIdResourceId: given.speechResourceId,
        endpoint: given.speechEndpoint,
      });
      expect(config.speech.azure.key).toBeUndefined();
    }
    expect(config.summary).not.toHaveProperty("problem");
    expect(config.summary.provider).toBe(given.summaryProvider);
    if (config.summary.provider === "azure-openai" && "useEntraId" in config.summary) {
      expect(config.summary).toMatchObject({ useEntraId: true, deployment: "summary" });
      expect(config.summary.apiKey).toBeUndefined();
    }
    expect(config.email).not.toHaveProperty("problem");
    expect(config.email.provider).toBe(given.emailProvider);
    expect(config.dataDir).toBe("/data");
    expect(config.modelDir).toBe("/app/.cache/models");
    // Sign-in (planned settings): what each mode needs.
    expect(env.AUTH_MODE).toBe(given.authMode);
    expect(env.PUBLIC_ORIGINS?.split(",")).toEqual(given.publicOrigins);
    expect("AUTH_SECRET" in env && "AUTH_USERS" in env).toBe(given.authMode === "password");
    expect("AUTH_ENTRA_TENANTS" in env).toBe(given.authMode === "entra");
    if (given.authMode === "entra") expect(env.AUTH_ENTRA_TENANTS).toBe(given.entraTenantId);
  });

  it.each(deployments)("%s: the worker's settings start a worker on the shared storage", (_, params) => {
    const given = { ...base, ...params };
    const { worker } = settings(params);
    const config = parseConfig(processEnv(worker), "/app");
    expect(workerStorageProblem(config)).toBeNull();
    expect(config.speech).not.toHaveProperty("problem");
    expect(config.speech.provider).toBe(given.speechProvider);
    expect(config.speech.threads).toBe(given.workerSpeechThreads);
    expect(config.jobs).toMatchObject({
      queue: given.jobsQueue,
      table: given.jobsTable,
      concurrency: given.jobsConcurrency,
    });
    // The same storage as the web app.
    const web = parseConfig(processEnv(settings(params).web), "/app");
    expect(config.storage).toEqual(web.storage);
  });

  it("reject a value outside a param's allowed list", () => {
    expect(() => settings({ authMode: "anonymous" })).toThrow(/authMode = "anonymous" is not allowed/);
  });
});

describe("azd", () => {
  it("azure.yaml builds the Dockerfile for the web and worker container apps from infra/", () => {
    const yaml = read("azure.yaml");
    expect(yaml).toMatch(/^infra:\n {2}provider: bicep\n {2}path: infra\n {2}module: main$/m);
    for (const service of ["web", "worker"]) {
      expect(yaml).toMatch(
        new RegExp(
          `^ {2}${service}:\\n(?: {4}.*\\n)*? {4}host: containerapp\\n(?: {4}.*\\n)*? {6}path: ./Dockerfile`,
          "m",
        ),
      );
      // azd finds each app by this tag.
      const file = service === "web" ? "modules/web-app.bicep" : "modules/worker-app.bicep";
      expect(bicep(file).source).toContain(`'azd-service-name': '${service}'`);
    }
  });

  it("main.parameters.json maps only declared params, and every param without a default has a source", () => {
    const parameters = JSON.parse(read("infra/main.parameters.json")).parameters as Record<
      string,
      { value: string }
    >;
    const params = bicep("main.bicep").declarations.filter((d) => d.kind === "param");
    for (const name of Object.keys(parameters)) expect(params.map((d) => d.name)).toContain(name);
    for (const param of params.filter((d) => d.value === null)) {
      // azd generates a param with `generate` metadata; it prompts for the others when unset.
      const generated = JSON.stringify(literal(param.decorators.get("metadata")?.[0] ?? null)).includes(
        '"generate"',
      );
      expect({ param: param.name, source: generated || param.name in parameters }).toEqual({
        param: param.name,
        source: true,
      });
    }
    // The registry azd pushes to, and the URL it prints.
    const outputs = bicep("main.bicep")
      .declarations.filter((d) => d.kind === "output")
      .map((d) => d.name);
    expect(outputs).toEqual(expect.arrayContaining(["AZURE_CONTAINER_REGISTRY_ENDPOINT", "SERVICE_WEB_URI"]));
  });
});

describe("container image", () => {
  it("runs as a non-root user with a health check, listening on all interfaces", () => {
    const dockerfile = read("Dockerfile");
    const runStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(runStage).toMatch(/^USER 10001:10001$/m);
    expect(runStage).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "scripts\/healthcheck.mjs"\]$/m);
    expect(fs.existsSync(path.join(root, "scripts/healthcheck.mjs"))).toBe(true);
    expect(imageEnv()).toMatchObject({ HOST: "0.0.0.0", NODE_ENV: "production", DATA_DIR: "/data" });
    expect(runStage).toMatch(/apt-get install .*ffmpeg/);
    // The model is prepared in the build stage and copied, never downloaded at run time.
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(runStage).toMatch(/COPY --from=build \/app\/.cache\/models/);
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["node_modules", ".next", ".cache", ".git", ".env", ".env.*", ".azure", "data"]) {
      expect(ignored).toContain(entry);
    }
  });
});
