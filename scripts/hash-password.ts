// npm run hash-password [-- <user name>]: reads a password (typed without echo, or piped on stdin) and
// prints its scrypt hash for AUTH_USERS; with a user name, the whole `name:hash` entry.
import { hashPassword, MAX_PASSWORD_LENGTH } from "@/lib/auth/password";

/** Reads one line from the terminal without showing it. */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        if (char === "\u0003") return done(new Error("cancelled"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    input.on("data", onData);
  });
}

async function readPiped(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}

async function main(): Promise<void> {
  const name = process.argv[2]?.trim().toLowerCase();
  if (name !== undefined && !/^[a-z0-9][a-z0-9._@-]{0,63}$/.test(name)) {
    throw new Error("A user name has 1-64 letters, digits, dots, dashes, underscores or @.");
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden("Password: ");
    if ((await readHidden("Again: ")) !== password) throw new Error("The two passwords differ.");
  } else {
    password = await readPiped();
  }
  if (password.length < 8) throw new Error("Use a password of at least 8 characters.");
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new Error(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  const hash = await hashPassword(password);
  process.stdout.write(`${name ? `${name}:` : ""}${hash}\n`);
  if (process.stdin.isTTY) {
    process.stderr.write(
      "Add it to AUTH_USERS (entries separated by commas), e.g. AUTH_USERS=alice:scrypt:…,bob:scrypt:…\n",
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
