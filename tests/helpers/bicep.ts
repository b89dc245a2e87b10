// Offline Bicep for tests: the tree-sitter-bicep grammar (its WebAssembly build, through
// web-tree-sitter) parses the files, reports syntax errors, reads literal parts of declarations,
// and evaluates a module's outputs for given parameters. The evaluator knows a subset of the
// language (literals, interpolation, params, vars, operators, ternaries, member access and a few
// functions) and throws on anything else, so a file it evaluates must stay within that subset.
import fs from "node:fs";
import path from "node:path";
import { Language, type Node, Parser } from "web-tree-sitter";

let ready: Promise<Parser> | null = null;

async function parser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    // Bytes rather than a path: given a path, web-tree-sitter imports fs dynamically, which Jest refuses.
    const wasm = fs.readFileSync(require.resolve("tree-sitter-bicep/tree-sitter-bicep.wasm"));
    const language = await Language.load(new Uint8Array(wasm));
    const created = new Parser();
    created.setLanguage(language);
    return created;
  })();
  return ready;
}

/** A value of the evaluated subset of Bicep. */
export type BicepValue = string | number | boolean | null | BicepValue[] | { [key: string]: BicepValue };

/** An expression left as written, where {@link literal} meets something that is not a literal. */
export interface Expression {
  $expr: string;
}

/** The literal view of a declaration: literals as values, any other expression as its text. */
export type Literal = string | number | boolean | null | Expression | Literal[] | { [key: string]: Literal };

export interface Declaration {
  kind: "param" | "var" | "output" | "resource" | "module";
  name: string;
  /** param/output: the type; resource: `Type@apiVersion`; module: the file path. */
  type: string;
  /** The value (param: its default; resource/module: the body object, unwrapped from `if`/`for`). */
  value: Node | null;
  /** The `if (...)` condition of a resource or module, as written. */
  condition?: string;
  /** Decorators by name, with their argument nodes. */
  decorators: Map<string, Node[]>;
}

export interface BicepFile {
  file: string;
  source: string;
  root: Node;
  /** Syntax errors as `line:column text`. */
  errors: string[];
  declarations: Declaration[];
}

/** Parses a Bicep file. */
export async function parseBicep(file: string): Promise<BicepFile> {
  const source = fs.readFileSync(file, "utf8");
  const tree = (await parser()).parse(source);
  if (!tree) throw new Error(`${file}: not parsed`);
  const root = tree.rootNode;
  const errors: string[] = [];
  const visit = (node: Node) => {
    if (node.isError || node.isMissing) {
      const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
      errors.push(
        `${where} ${node.isMissing ? `missing ${node.type}` : `unexpected ${node.text.slice(0, 60)}`}`,
      );
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return { file, source, root, errors, declarations: declarationsOf(root) };
}

const KINDS: Record<string, Declaration["kind"]> = {
  parameter_declaration: "param",
  variable_declaration: "var",
  output_declaration: "output",
  resource_declaration: "resource",
  module_declaration: "module",
};

function named(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
}

function declarationsOf(root: Node): Declaration[] {
  const found: Declaration[] = [];
  let decorators = new Map<string, Node[]>();
  for (const node of named(root)) {
    if (node.type === "decorators") {
      decorators = new Map();
      for (const decorator of named(node)) {
        const call = named(decorator)[0];
        if (call?.type !== "call_expression") continue;
        const fn = call.childForFieldName("function")?.text ?? "";
        const args = call.childForFieldName("arguments");
        decorators.set(fn, args ? named(args) : []);
      }
      continue;
    }
    const kind = KINDS[node.type];
    if (!kind) continue;
    const parts = named(node);
    const name = parts[0]?.text ?? "";
    // var: name value; param: name type [default]; output: name type value; resource/module: name 'string' body.
    const typeNode = kind === "var" ? null : parts[1];
    const type = typeNode?.type === "string" ? stringLiteral(typeNode) : (typeNode?.text ?? "");
    let value: Node | null = (kind === "var" ? parts[1] : parts[2]) ?? null;
    let condition: string | undefined;
    if (value?.type === "if_statement") {
      const [test, body] = named(value);
      condition = test?.text;
      value = body ?? null;
    } else if (value?.type === "for_statement") {
      value = named(value).at(-1) ?? null;
    }
    found.push({ kind, name, type, value, condition, decorators });
    decorators = new Map();
  }
  return found;
}

const ESCAPES: Record<string, string> = {
  "\\\\": "\\",
  "\\'": "'",
  "\\n": "\n",
  "\\r": "\r",
  "\\t": "\t",
  "\\$": "$",
};

function stringLiteral(node: Node): string {
  let text = "";
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === "string_content") text += part.text;
    else if (part.type === "escape_sequence") text += ESCAPES[part.text] ?? part.text;
    else throw new Error(`not a literal string: ${node.text}`);
  }
  return text;
}

/** The literal view of an expression (see {@link Literal}). */
export function literal(node: Node | null): Literal {
  if (!node) return null;
  switch (node.type) {
    case "string":
      return node.namedChildren.some((part) => part?.type === "interpolation")
        ? { $expr: node.text }
        : stringLiteral(node);
    case "number":
      return Number(node.text);
    case "boolean":
      return node.text === "true";
    case "null":
      return null;
    case "array":
      return named(node).map(literal);
    case "object": {
      const result: Record<string, Literal> = {};
      for (const property of named(node)) {
        if (property.type !== "object_property") continue;
        const [key, value] = named(property);
        const name = literal(key ?? null);
        result[typeof name === "string" ? name : key!.text] = literal(value ?? null);
      }
      return result;
    }
    default:
      return { $expr: node.text };
  }
}

/** Whether a literal is an expression left as written. */
export function isExpression(value: Literal | undefined): value is Expression {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$expr" in value;
}

/** Thrown by the Bicep `fail()` function. */
export class BicepFail extends Error {}

/**
 * Evaluates a Bicep file's params, vars and outputs for the given parameters (the rest take their
 * defaults; `@allowed` lists are enforced). Lazy: only what is asked for is evaluated.
 */
export function evaluator(bicep: BicepFile, params: Record<string, BicepValue>) {
  const decls = new Map(bicep.declarations.map((d) => [`${d.kind}:${d.name}`, d]));
  for (const name of Object.keys(params)) {
    if (!decls.has(`param:${name}`)) throw new Error(`${bicep.file}: no param ${name}`);
  }
  const values = new Map<string, BicepValue>();
  const lookup = (name: string): BicepValue => {
    if (values.has(name)) return values.get(name)!;
    const param = decls.get(`param:${name}`);
    const variable = decls.get(`var:${name}`);
    let value: BicepValue;
    if (param) {
      if (name in params) value = params[name]!;
      else if (param.value) value = evaluate(param.value, lookup);
      else throw new Error(`${bicep.file}: param ${name} has no value and no default`);
      const allowed = param.decorators.get("allowed")?.[0];
      if (allowed && !(literal(allowed) as Literal[]).includes(value as Literal)) {
        throw new Error(`${bicep.file}: param ${name} = ${JSON.stringify(value)} is not allowed`);
      }
    } else if (variable?.value) {
      value = evaluate(variable.value, lookup);
    } else {
      throw new Error(`${bicep.file}: unknown symbol ${name}`);
    }
    values.set(name, value);
    return value;
  };
  return {
    /** A param's or var's value. */
    value: lookup,
    /** Every output. */
    outputs(): Record<string, BicepValue> {
      const outputs: Record<string, BicepValue> = {};
      for (const output of bicep.declarations.filter((d) => d.kind === "output")) {
        outputs[output.name] = evaluate(output.value!, lookup);
      }
      return outputs;
    },
  };
}

function evaluate(node: Node, lookup: (name: string) => BicepValue): BicepValue {
  const ev = (child: Node | null | undefined) => {
    if (!child) throw new Error(`missing operand in ${node.text}`);
    return evaluate(child, lookup);
  };
  switch (node.type) {
    case "string": {
      let text = "";
      for (const part of node.namedChildren) {
        if (!part) continue;
        if (part.type === "string_content") text += part.text;
        else if (part.type === "escape_sequence") text += ESCAPES[part.text] ?? part.text;
        else if (part.type === "interpolation") text += toText(ev(named(part)[0]));
        else throw new Error(`unsupported string part ${part.type}`);
      }
      return text;
    }
    case "number":
    case "boolean":
    case "null":
      return literal(node) as BicepValue;
    case "array":
      return named(node).map(ev);
    case "object": {
      const result: Record<string, BicepValue> = {};
      for (const property of named(node)) {
        if (property.type !== "object_property") throw new Error(`unsupported ${property.type}`);
        const [key, value] = named(property);
        result[key!.type === "string" ? toText(ev(key)) : key!.text] = ev(value);
      }
      return result;
    }
    case "identifier":
      return lookup(node.text);
    case "parenthesized_expression":
      return ev(named(node)[0]);
    case "unary_expression": {
      const operator = node.childForFieldName("operator")?.text;
      const argument = ev(node.childForFieldName("argument"));
      if (operator === "!") return !argument;
      if (operator === "-") return -(argument as number);
      throw new Error(`unsupported operator ${operator}`);
    }
    case "binary_expression": {
      const operator = node.childForFieldName("operator")?.text;
      const left = () => ev(node.childForFieldName("left"));
      const right = () => ev(node.childForFieldName("right"));
      switch (operator) {
        case "&&":
          return Boolean(left()) && Boolean(right());
        case "||":
          return Boolean(left()) || Boolean(right());
        case "??":
          return left() ?? right();
        case "==":
          return JSON.stringify(left()) === JSON.stringify(right());
        case "!=":
          return JSON.stringify(left()) !== JSON.stringify(right());
        case "<":
          return (left() as number) < (right() as number);
        case "<=":
          return (left() as number) <= (right() as number);
        case ">":
          return (left() as number) > (right() as number);
        case ">=":
          return (left() as number) >= (right() as number);
        case "+":
          return (left() as number) + (right() as number);
        case "-":
          return (left() as number) - (right() as number);
        case "*":
          return (left() as number) * (right() as number);
        default:
          throw new Error(`unsupported operator ${operator}`);
      }
    }
    case "ternary_expression":
      return ev(node.childForFieldName("condition"))
        ? ev(node.childForFieldName("consequence"))
        : ev(node.childForFieldName("alternative"));
    case "member_expression": {
      const object = ev(node.childForFieldName("object")) as Record<string, BicepValue> | null;
      const property = node.childForFieldName("property")!.text;
      const safe = node.children.some((child) => child?.type === ".?");
      if (object === null || object === undefined || !(property in object)) {
        if (safe) return null;
        throw new Error(`no property ${property} in ${node.text}`);
      }
      return object[property]!;
    }
    case "subscript_expression": {
      const object = ev(node.childForFieldName("object")) as Record<string, BicepValue> | BicepValue[];
      const index = ev(node.childForFieldName("index"));
      const value = (object as Record<string, BicepValue>)[index as string];
      if (value === undefined) throw new Error(`no element ${JSON.stringify(index)} in ${node.text}`);
      return value;
    }
    case "call_expression":
      return call(node, ev);
    default:
      throw new Error(`unsupported expression ${node.type}: ${node.text.slice(0, 80)}`);
  }
}

function call(node: Node, ev: (child: Node | null | undefined) => BicepValue): BicepValue {
  const fn = node.childForFieldName("function")?.text;
  const argsNode = node.childForFieldName("arguments");
  const args = argsNode ? named(argsNode) : [];
  const arg = (index: number) => ev(args[index]);
  switch (fn) {
    case "fail":
      throw new BicepFail(String(arg(0)));
    case "empty": {
      const value = arg(0);
      if (value === null || value === "") return true;
      if (Array.isArray(value)) return value.length === 0;
      if (typeof value === "object") return Object.keys(value).length === 0;
      return false;
    }
    case "concat": {
      const values = args.map((a) => ev(a));
      if (values.every(Array.isArray)) return (values as BicepValue[][]).flat(1);
      return values.map(toText).join("");
    }
    case "join":
      return (arg(0) as BicepValue[]).map(toText).join(String(arg(1)));
    case "split":
      return String(arg(0)).split(String(arg(1)));
    case "string":
      return toText(arg(0));
    case "toLower":
      return String(arg(0)).toLowerCase();
    case "contains": {
      const container = arg(0);
      const item = arg(1);
      if (typeof container === "string") return container.includes(String(item));
      if (Array.isArray(container))
        return container.some((value) => JSON.stringify(value) === JSON.stringify(item));
      return container !== null && typeof container === "object" && String(item) in container;
    }
    case "length": {
      const value = arg(0);
      return typeof value === "string" || Array.isArray(value)
        ? value.length
        : Object.keys(value ?? {}).length;
    }
    case "max":
      return Math.max(...args.map((a) => ev(a) as number));
    case "min":
      return Math.min(...args.map((a) => ev(a) as number));
    default:
      throw new Error(`unsupported function ${fn}()`);
  }
}

function toText(value: BicepValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** All .bicep files under a folder. */
export function bicepFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".bicep"))
    .map((name) => path.join(folder, name))
    .sort();
}
