// Walks PracticeApi's FHIR API as an EHR's JavaScript integration would, with fhir-kit-client: SMART discovery, every
// search type page by page (nextPage to the last page) against one large page, and a bulk export from kick-off to the
// NDJSON files. Prints one JSON report on stdout; the .NET test asserts on it.
// Usage: node walk.mjs <fhir base url> <bearer token>
import { Client, RESPONSE_KEY } from 'fhir-kit-client';

const [base, token] = process.argv.slice(2);
const client = new Client({ baseUrl: base, bearerToken: token });
const report = { tokenUrl: null, types: {}, export: null };

const auth = await client.smartAuthMetadata();
report.tokenUrl = auth.tokenUrl ? String(auth.tokenUrl) : null;

async function walk(resourceType, searchParams, count) {
  let bundle = await client.search({ resourceType, searchParams: { ...searchParams, _count: count } });
  const ids = [];
  let pages = 1;
  for (;;) {
    for (const entry of bundle.entry ?? []) ids.push(entry.resource.id);
    if (!(bundle.link ?? []).some((l) => l.relation === 'next')) break;
    bundle = await client.nextPage({ bundle });
    pages++;
  }
  return { ids, pages };
}

// Types that search within one patient are walked per patient (every patient the token may read).
async function walkType(resourceType, patients, count) {
  try {
    return await walk(resourceType, {}, count);
  } catch (error) {
    if (error.response?.status !== 400) throw error;
    const all = { ids: [], pages: 0 };
    for (const patient of patients) {
      const one = await walk(resourceType, { patient }, count);
      all.ids.push(...one.ids);
      all.pages += one.pages;
    }
    return all;
  }
}

const capability = await client.capabilityStatement();
const types = capability.rest[0].resource.map((r) => r.type).filter((t) => t !== 'Group');
const patients = (await walk('Patient', {}, 200)).ids;
for (const type of types) {
  const paged = await walkType(type, patients, 2);
  const large = await walkType(type, patients, 200);
  report.types[type] = {
    pages: paged.pages,
    paged: [...new Set(paged.ids)].sort(),
    large: [...new Set(large.ids)].sort(),
  };
}

// Bulk export: kick-off, poll the status (202 with X-Progress, then 200 with the manifest), read every NDJSON line.
const kickOff = await client.request('$export', { options: { headers: { prefer: 'respond-async', accept: 'application/fhir+json' } } });
const accepted = kickOff[RESPONSE_KEY];
const status = accepted.headers.get('content-location');
let manifest = null;
let progressSeen = false;
for (let attempt = 0; attempt < 300 && !manifest; attempt++) {
  const polled = await client.request(status);
  const response = polled[RESPONSE_KEY];
  if (response.status === 200) manifest = polled;
  else {
    progressSeen ||= response.headers.has('x-progress');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const files = {};
for (const output of manifest.output) {
  const response = await fetch(output.url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+ndjson' } });
  const lines = (await response.text()).split('\n').filter((line) => line.length > 0);
  const ids = lines.map((line) => {
    const resource = JSON.parse(line);
    if (resource.resourceType !== output.type) throw new Error(`${output.url}: a ${resource.resourceType} in the ${output.type} file`);
    return resource.id;
  });
  files[output.type] = [...new Set([...(files[output.type] ?? []), ...ids])].sort();
}

report.export = {
  kickOffStatus: accepted.status,
  progressSeen,
  requiresAccessToken: manifest.requiresAccessToken,
  files,
};
await client.request(status, { method: 'DELETE' });
console.log(JSON.stringify(report));
