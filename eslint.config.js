// Flat config: eslint's recommended rules plus typescript-eslint's type-aware strict set.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "test/artifacts/", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
      // Prettier lays code out at 120 columns but leaves long strings, templates and comments alone; this catches
      // them. The core rule (deprecated for @stylistic but kept until ESLint 11) needs no extra dependency.
      // A long regular expression is written as parts joined by test/helpers/joinedRegExp.ts.
      "max-len": ["error", { code: 120 }],
    },
  },
  // The dashboard's layers run one way (README, "Dashboard" > "Layers"): server/ -> api/ | web/ -> http/ -> app/ ->
  // data-access/ -> domain/. The JSON API and the pages never import each other; both call app/, and nothing above
  // app/ reaches data-access/. Type-only imports count too: the core rule reports `import type` like any import.
  ...dashboardLayer(
    "domain",
    ["data-access", "app", "http", "api", "web", "server"],
    ["express", "kysely", "better-sqlite3", "pg"],
  ),
  ...dashboardLayer("data-access", ["app", "http", "api", "web", "server"]),
  ...dashboardLayer("app", ["http", "api", "web", "server"], ["express"]),
  ...dashboardLayer("http", ["data-access", "api", "web", "server"]),
  ...dashboardLayer("api", ["data-access", "web", "server"]),
  ...dashboardLayer("web", ["data-access", "api", "server"]),
  {
    // Long functions are split into named steps (README, "How it fits together"): a function over 100 lines,
    // blank lines and comments not counted, is a sequence of steps to name. Tests are not held to it.
    files: [
      "agents/**/*.ts",
      "bench/**/*.ts",
      "dashboard/**/*.ts",
      "policies/**/*.ts",
      "stacks/**/*.ts",
      "contracts/**/*.ts",
      "*.ts",
    ],
    rules: { "max-lines-per-function": ["error", { max: 100, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tests may use non-null assertions on fixtures they just built.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);

/** Files in dashboard/<layer>/ may not import the given sibling layers nor these packages. */
function dashboardLayer(layer, forbiddenLayers, forbiddenPackages = []) {
  const layers = forbiddenLayers.map((other) => ({
    group: [`**/${other}/**`, `./${other}/**`],
    message: `dashboard/${layer}/ may not import dashboard/${other}/ (the layers run one way: README, "Layers")`,
  }));
  const packages = forbiddenPackages.map((name) => ({
    group: [name, `${name}/**`],
    message: `dashboard/${layer}/ is kept free of ${name} (the layers run one way: README, "Layers")`,
  }));
  const rule = ["error", { patterns: [...layers, ...packages] }];
  return [{ files: [`dashboard/${layer}/**/*.ts`], rules: { "no-restricted-imports": rule } }];
}
