// Validates UBL invoices and credit notes against Peppol BIS Billing 3.0: the EN 16931 rules bound to UBL (CEN) and the
// Peppol rules, which hold the Dutch ones (NL-R-001 to NL-R-009). The Schematron files are compiled to XSLT with SchXslt
// and to SaxonJS's SEF once (kept in build/), then every document runs through both.
//   node validate.mjs [--allow RULE-ID ...] invoice.xml [more.xml ...]
// Exits 0 when no assertion flagged fatal fails, apart from the rules allowed by name; prints every failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SaxonJS from 'saxon-js';

const here = dirname(fileURLToPath(import.meta.url));
const xslt3 = join(here, 'node_modules', '.bin', 'xslt3');
const build = join(here, 'build');
mkdirSync(build, { recursive: true });

function compiled(name) {
  const sef = join(build, `${name}.sef.json`);
  if (existsSync(sef)) return sef;
  const xsl = join(build, `${name}.xsl`);
  execFileSync(xslt3, [`-xsl:${join(here, 'schxslt', 'pipeline-for-svrl.xsl')}`, `-s:${join(here, 'rules', `${name}.sch`)}`, `-o:${xsl}`]);
  execFileSync(xslt3, [`-xsl:${xsl}`, `-export:${sef}`, '-nogo']);
  return sef;
}

const rules = ['CEN-EN16931-UBL', 'PEPPOL-EN16931-UBL'].map(name => ({ name, sef: compiled(name) }));
const args = process.argv.slice(2);
const allowed = new Set(args.flatMap((a, i) => (args[i - 1] === '--allow' ? [a] : [])));
const documents = args.filter((a, i) => a !== '--allow' && args[i - 1] !== '--allow');
const failures = [];
let fired = 0;
for (const file of documents) {
  for (const rule of rules) {
    const svrl = SaxonJS.transform({ stylesheetFileName: rule.sef, sourceText: readFileSync(file, 'utf8'), destination: 'serialized' }, 'sync').principalResult;
    fired += (svrl.match(/<svrl:fired-rule/g) ?? []).length;
    for (const failed of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
      const flag = /flag="([^"]*)"/.exec(failed[1])?.[1] ?? 'fatal';
      const id = /id="([^"]*)"/.exec(failed[1])?.[1] ?? '?';
      const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(failed[2])?.[1]?.trim() ?? '';
      failures.push({ file, rules: rule.name, id, flag, text });
    }
  }
}

const fatal = failures.filter(f => f.flag === 'fatal' && !allowed.has(f.id));
for (const f of failures) console.log(`${allowed.has(f.id) ? 'allowed' : f.flag}\t${f.id}\t${f.rules}\t${f.file}\t${f.text}`);
console.log(`fired ${fired} rules on ${documents.length} documents; ${fatal.length} fatal failures, ${failures.filter(f => f.flag !== 'fatal').length} warnings`);
process.exit(fatal.length > 0 ? 1 : 0);
